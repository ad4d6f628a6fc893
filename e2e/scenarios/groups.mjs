// Small groups: the coordination proposes groups, moves a network, saves, schedules a workshop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('the coordination proposes small groups, moves a network, saves and schedules a group workshop', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    const failures = [];

    let response = await page.goto(ORIGIN + '/programmes', { waitUntil: 'load' });
    const programmeHref = await page.locator('main a[href^="/programmes/"]').first().getAttribute('href');
    response = await page.goto(ORIGIN + programmeHref + '/groupings', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'groupings', { problems })));

    await page.fill('#min_size', '2');
    await page.fill('#max_size', '3');
    response = await submitAndWait(page, page.locator('form[action$="/groupings/propose"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'proposed groups', { problems })));
    const summary = await page.locator('main p.lead').innerText();
    assert.match(summary, /gruppi da 2 a 3 reti; costo totale/);
    const before = await page.locator('input[name="draft"]').first().getAttribute('value');

    // Move the first network of group 1 to a new group: the page comes back with the cost recomputed.
    const move = page.locator('form[action$="/groupings/move"]').first();
    const options = await move.locator('select option').count();
    await move.locator('select').selectOption(String(options));
    response = await submitAndWait(page, move.locator('button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'groups after a move', { problems })));
    const after = await page.locator('input[name="draft"]').first().getAttribute('value');
    assert.notEqual(after, before, 'the move changed the draft');
    assert.match(await page.locator('main p.lead').innerText(), /costo totale/);

    // Move it back into group 1 so that every group is within bounds again, then save.
    const back = page.locator('form[action$="/groupings/move"]').last();
    await back.locator('select').selectOption('1');
    await submitAndWait(page, back.locator('button[type="submit"]'));
    await page.fill('#name', 'Gruppi di prova e2e');
    response = await submitAndWait(page, page.locator(`form[action="${programmeHref}/groupings"] button[type="submit"]`));
    assert.match(new URL(page.url()).pathname, /\/groupings\/[0-9a-f-]+$/, 'the saved grouping opens');
    failures.push(...(await checkPage(page, response, 'saved grouping', { problems })));

    // Schedule group 1's workshop: the meeting form invites the group.
    response = await page.goto(ORIGIN + await page.locator('a[href*="/meetings/new?group="]').first().getAttribute('href'), { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'group workshop form', { problems })));
    assert.equal(await page.locator('#kind').inputValue(), 'workshop');
    assert.equal(await page.locator('input[name="invite_groups"]:checked').count(), 1, 'the group is invited');
    await page.fill('#title', 'Workshop del gruppo 1');
    await page.selectOption('#mode', 'in_presenza');
    await page.fill('#place', 'Milano');
    await page.fill('#starts_at', '2027-04-14T10:00');
    await page.fill('#ends_at', '2027-04-14T13:00');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.match(new URL(page.url()).pathname, /^\/meetings\/[0-9a-f-]+$/, 'the workshop page opens');
    failures.push(...(await checkPage(page, response, 'group workshop', { problems })));
    assert.match(await page.locator('main').innerText(), /Gruppo 1 \(raggruppamento Gruppi di prova e2e\)/, 'the page names the group invited');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
