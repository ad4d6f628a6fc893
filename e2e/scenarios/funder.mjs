// The funder report (decision 0045): the coordination opens a network's dashboard, follows a
// figure to the rows it counts, then asks for the report on the programme's dashboard, waits for
// the job queue to build it and downloads the PDF; every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('the funder report is asked for, built and downloaded from the programme dashboard', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    const failures = [];

    await page.goto(ORIGIN + '/programmes', { waitUntil: 'load' });
    const programmeHref = await page.locator('main a[href^="/programmes/"]').first().getAttribute('href');
    let response = await page.goto(ORIGIN + programmeHref + '/indicators', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'programme indicators', { problems })));
    assert.match(await page.locator('#funded-plan-share').innerText(), /\d+ su \d+/, 'the share of funded plans is shown');

    // A network's dashboard, and one of its figures followed to its rows.
    response = await submitAndWait(page, page.locator('table:has(#networks-caption) tbody th a').first());
    failures.push(...(await checkPage(page, response, 'network indicators', { problems })));
    const figure = page.locator('a[data-indicator="member_organisations"]');
    const shown = (await figure.innerText()).trim();
    response = await submitAndWait(page, figure);
    failures.push(...(await checkPage(page, response, 'indicator rows', { problems })));
    assert.match(new URL(page.url()).pathname, /^\/indicators\/member_organisations\/rows$/);
    assert.equal((await page.locator('#indicator-value').innerText()).trim(), shown, 'the same figure');

    // The report, from the programme's dashboard.
    await page.goto(ORIGIN + programmeHref + '/indicators', { waitUntil: 'load' });
    const before = await page.locator('#funder-reports tbody tr').count();
    response = await submitAndWait(page, page.locator('#funder-report-request'));
    failures.push(...(await checkPage(page, response, 'report requested', { problems })));
    assert.equal(await page.locator('#funder-reports tbody tr').count(), before + 1, 'the new report is listed');
    const row = page.locator('#funder-reports tbody tr').first();
    const link = row.locator('a[download]');
    for (let i = 0; i < 120 && (await link.count()) === 0; i++) {
      assert.equal(await row.locator('.text-danger').count(), 0, 'the build failed: ' + (await row.innerText()));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await page.reload({ waitUntil: 'load' });
    }
    assert.equal(await link.count(), 1, 'the report was built');
    response = await page.reload({ waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'report built', { problems })));
    const pdf = await page.request.get(ORIGIN + (await link.getAttribute('href')));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
