// Impact indicators: the coordination opens the programme's dashboard, goes to a network's,
// reads a chart's data, follows a figure to the rows it counts and downloads them; every page
// passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('a figure of a network dashboard leads to its rows', { timeout: TEST_TIMEOUT_MS }, async () => {
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
    let response = await submitAndWait(page, page.locator(`a[href="${programmeHref}/indicators"]`));
    failures.push(...(await checkPage(page, response, 'programme indicators', { problems })));
    assert.ok(await page.locator('svg[role="img"] title').count() >= 4, 'the series are drawn, with titles');
    assert.equal(await page.locator('#indicator-meetings_held').count(), 1);

    // A network's dashboard, from the programme's table of networks.
    response = await submitAndWait(page, page.locator('table:has(#networks-caption) tbody th a').first());
    failures.push(...(await checkPage(page, response, 'network indicators', { problems })));
    assert.match(new URL(page.url()).pathname, /^\/networks\/[^/]+\/indicators$/);
    const details = page.locator('figure details').first();
    await details.locator('summary').click();
    assert.ok(await details.locator('table tbody tr').count() >= 1, 'the chart data is one click away');

    // Follow the meetings' figure to its rows.
    const figure = page.locator('a[data-indicator="meetings_held"]');
    const shown = (await figure.innerText()).trim();
    response = await submitAndWait(page, figure);
    failures.push(...(await checkPage(page, response, 'indicator rows', { problems })));
    assert.match(new URL(page.url()).pathname, /^\/indicators\/meetings_held\/rows$/);
    assert.equal((await page.locator('#indicator-value').innerText()).trim(), shown, 'the same figure');
    assert.equal(await page.locator('tr.indicator-row').count(), Number(shown), 'one row per meeting counted');
    const download = await page.locator('a[href$="format=csv"]').getAttribute('href');
    const csv = await page.request.get(ORIGIN + download);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /text\/csv/);

    // A bad period is named on the dashboard.
    await page.goBack({ waitUntil: 'load' });
    await page.fill('#period', '2026-Q5');
    response = await submitAndWait(page, page.locator('main form[method="get"] button[type="submit"]'));
    assert.equal(response.status(), 422);
    failures.push(...(await checkPage(page, response, 'indicators with a bad period', { problems, expectStatus: 422 })));
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
