// A lab's own space (decision 0040): a participant opens the demo lab, finds its "Scambi" and
// "Documenti", opens a thread in the lab's exchanges, gets a reply from the lab's expert, and
// edits the lab's shared document. Every page on the way passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const LAB = 'Scuola e territorio contro la dispersione';

test('a participant posts in a lab\'s exchange, the expert replies, and the lab document is edited', { timeout: TEST_TIMEOUT_MS }, async () => {
  const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
  const expert = ACCOUNTS.find((a) => a.email === 'accompagnatore@reti.example');
  const title = `Caso da portare ${Date.now()}`;
  const failures = [];
  let threadPath = '';
  let labPath = '';

  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await logIn(page, member.email, member.password);
    let response = await page.goto(ORIGIN + '/labs', { waitUntil: 'load' });
    labPath = await page.locator('main a', { hasText: LAB }).first().getAttribute('href');
    response = await page.goto(ORIGIN + labPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'a lab with its exchanges and documents', { problems })));
    assert.match(await page.locator('#exchanges-heading').innerText(), /Scambi/);
    assert.match(await page.locator('#documents-heading').innerText(), /Documenti/);

    // The lab's exchanges: open a thread.
    response = await page.goto(ORIGIN + await page.locator(`main a[href="${labPath}/threads"]`).getAttribute('href'), { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'threads of a lab', { problems })));
    await page.fill('#title', title);
    await page.fill('#message', 'Porto il caso di una ragazza arrivata **a metà anno**.');
    response = await submitAndWait(page, page.locator('form[enctype="multipart/form-data"] button[type="submit"]'));
    assert.match(new URL(page.url()).pathname, /^\/threads\/[0-9a-f-]+$/, 'the thread opens');
    failures.push(...(await checkPage(page, response, 'a lab thread', { problems })));
    threadPath = new URL(page.url()).pathname;
    assert.ok((await page.locator('main').innerText()).includes(LAB), 'the thread names its lab');

    // The lab's documents: the demo's protocol, edited and saved as a new revision.
    response = await page.goto(ORIGIN + labPath + '/documents', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'documents of a lab', { problems })));
    const documentPath = await page.locator('main a[href^="/documents/"]').first().getAttribute('href');
    response = await page.goto(ORIGIN + documentPath + '/edit', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'editing a lab document', { problems })));
    const body = await page.locator('#document_body').inputValue();
    await page.fill('#document_body', body + '\n## Chi riceve la segnalazione\n\n- Il referente della rete.\n');
    await page.fill('#summary', 'Aggiunto chi riceve la segnalazione');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.equal(response.status(), 200);
    failures.push(...(await checkPage(page, response, 'a lab document saved', { problems })));
    assert.match(await page.locator('[role="status"]').first().innerText(), /revisione \d+/);
    assert.ok((await page.locator('article').innerText()).includes('Chi riceve la segnalazione'));
  } finally {
    await context.close();
  }

  // The expert finds the thread on the lab's page and replies.
  const second = await newContext();
  try {
    const page = await second.newPage();
    const problems = watchPage(page);
    await logIn(page, expert.email, expert.password);
    let response = await page.goto(ORIGIN + labPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'a lab, as its expert', { problems })));
    response = await page.goto(ORIGIN + await page.locator(`main a[href="${threadPath}"]`).first().getAttribute('href'), { waitUntil: 'load' });
    await page.fill('#message', 'Grazie: lo mettiamo nel gruppo sul passaggio alle superiori.');
    response = await submitAndWait(page, page.locator('form[action$="/replies"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'a lab thread with a reply', { problems })));
    assert.match(await page.locator('main').innerText(), /gruppo sul passaggio alle superiori/);
  } finally {
    await second.close();
  }
  assert.deepEqual(failures, []);
});
