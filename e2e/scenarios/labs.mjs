// Thematic labs: the coordination creates an open lab, a network member finds it and enrols; the
// labs list, the form and the lab page pass axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const TITLE = `Laboratorio sulla mediazione ${Date.now()}`;

test('the coordination creates a lab and a member enrols in it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  let labPath;

  const coordination = await newContext();
  try {
    const page = await coordination.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    let response = await page.goto(ORIGIN + '/labs', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'labs', { problems })));
    assert.ok((await page.locator('main table tbody tr').count()) >= 2, 'the demo labs are listed');
    response = await page.goto(ORIGIN + '/labs/new', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'new lab form', { problems })));
    // A capacity of zero is refused, naming the field.
    await page.fill('#title', TITLE);
    await page.fill('#theme', 'Mediazione linguistico-culturale');
    await page.selectOption('#action_line', '2');
    await page.fill('#description', 'Le reti confrontano i loro **sportelli**.');
    await page.fill('#capacity', '0');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.match(await page.locator('.alert-danger').first().innerText(), /Posti disponibili/);
    failures.push(...(await checkPage(page, response, 'lab form with errors', { problems, expectStatus: 422 })));
    await page.fill('#capacity', '12');
    await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.match(new URL(page.url()).pathname, /^\/labs\/[0-9a-f-]+$/, 'the lab opens');
    labPath = new URL(page.url()).pathname;
    response = await page.goto(ORIGIN + labPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'lab page (coordination)', { problems })));
    assert.equal(await page.locator('main strong', { hasText: 'sportelli' }).count(), 1, 'Markdown rendered');
  } finally {
    await coordination.close();
  }

  const memberContext = await newContext();
  try {
    const page = await memberContext.newPage();
    const problems = watchPage(page);
    const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
    await logIn(page, member.email, member.password);
    let response = await page.goto(ORIGIN + '/labs', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'labs (member)', { problems })));
    await page.locator('main a', { hasText: TITLE }).click();
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, labPath);
    await submitAndWait(page, page.locator('form[action$="/enrol"] button[type="submit"]'));
    assert.equal(await page.locator('[role="status"]').first().innerText(), 'Iscrizione registrata.');
    response = await page.goto(ORIGIN + labPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'lab page (member)', { problems })));
    assert.equal(await page.locator('form[action$="/leave"]').count(), 1, 'the member may leave');
    assert.equal(await page.locator('#participants li', { hasText: 'Ahmed Benali' }).count(), 1, 'listed with their network');
  } finally {
    await memberContext.close();
  }
  assert.deepEqual(failures, []);
});
