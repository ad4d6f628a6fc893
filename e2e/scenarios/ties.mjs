// Cross-network ties: the coordination opens the programme's ties, changes the dates with the
// GET form, and finds the map, the tables and the downloads; the page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('the coordination reads the ties between networks, then and now', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    const failures = [];

    await page.goto(ORIGIN + '/programmes', { waitUntil: 'load' });
    const programmeHref = await page.locator('main a[href^="/programmes/"]').first().getAttribute('href');
    await page.goto(ORIGIN + programmeHref, { waitUntil: 'load' });
    let response = await submitAndWait(page, page.locator(`a[href="${programmeHref}/ties"]`));
    failures.push(...(await checkPage(page, response, 'ties', { problems })));
    assert.equal(await page.locator('svg[role="img"] title').count(), 1, 'the map has a title');
    assert.ok(await page.locator('svg[role="img"] circle').count() >= 2, 'networks are drawn');
    assert.ok(await page.locator('#ties-caption').count() === 1);
    const ties = await page.locator('table:has(#ties-caption) tbody tr').count();
    assert.ok(ties >= 1, 'the demo has ties between networks');
    assert.ok(await page.locator(`a[href^="${programmeHref}/ties.gexf"]`).count() === 1);

    // The same page a year earlier, compared with two years earlier.
    const year = new Date().getFullYear();
    await page.fill('#at', `${year - 1}-06-30`);
    await page.fill('#since', `${year - 2}-06-30`);
    response = await submitAndWait(page, page.locator('main form button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'ties a year earlier', { problems })));
    assert.match(new URL(page.url()).search, /at=/);
    assert.match(await page.locator('#change-heading').innerText(), /30\/06\//);

    // A bad comparison date is named on the page.
    await page.fill('#since', `${year + 5}-01-01`);
    response = await submitAndWait(page, page.locator('main form button[type="submit"]'));
    assert.equal(response.status(), 422);
    failures.push(...(await checkPage(page, response, 'ties with a bad date', { problems, expectStatus: 422 })));
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
