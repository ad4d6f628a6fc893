// E-book editions: the coordination creates an edition, makes its chapters from the action lines,
// builds it on the job queue and follows the build on the page; then anyone downloads the EPUB
// from the public board of editions. Every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const STAMP = Date.now();
const TITLE = `Buone pratiche e2e ${STAMP}`;
const SLUG = `buone-pratiche-e2e-${STAMP}`;

test('the coordination builds an edition and anyone downloads it from /bacheca/ebook', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  let editionPath;

  const coordination = await newContext();
  try {
    const page = await coordination.newPage();
    const problems = watchPage(page);
    const account = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, account.email, account.password);
    let response = await page.goto(ORIGIN + '/ebook/editions', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'editions', { problems })));
    response = await page.goto(ORIGIN + '/ebook/editions/new', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'new edition form', { problems })));

    // A missing title is named.
    await page.fill('#title', '');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.equal(response.status(), 422);
    assert.match(await page.locator('.alert-danger').first().innerText(), /Titolo/);
    failures.push(...(await checkPage(page, response, 'edition form with errors', { expectStatus: 422, problems })));

    await page.fill('#title', TITLE);
    await page.fill('#editions_subtitle', 'Esperienze per linea d\'azione');
    await page.fill('#editions_editors', 'Coordinamento regionale');
    await page.fill('#editions_introduction', 'Le esperienze delle reti, *una per pagina*.');
    await page.fill('#editions_english_summary', 'The networks\' experiences, *one per page*.');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    editionPath = new URL(page.url()).pathname;
    assert.match(editionPath, /^\/ebook\/editions\/[0-9a-f-]+$/, 'the edition opens');
    failures.push(...(await checkPage(page, response, 'edition', { problems })));
    assert.match(await page.locator('main .reti-markdown[lang="en"]').innerText(), /one per page/, 'the English summary is marked as English');

    await page.selectOption('#editions_basis', 'action_line');
    response = await submitAndWait(page, page.locator('form[action$="/chapters/generate"] button[type="submit"]'));
    assert.ok((await page.locator('#chapters li').count()) >= 1, 'chapters were made');
    failures.push(...(await checkPage(page, response, 'edition with chapters', { problems })));

    const chapterLink = page.locator('#chapters li a').first();
    response = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), chapterLink.click()]).then(([r]) => r);
    failures.push(...(await checkPage(page, response, 'chapter', { problems })));
    assert.ok((await page.locator('main ol li').count()) >= 1, 'the chapter has practices');

    await page.goto(ORIGIN + editionPath, { waitUntil: 'load' });
    response = await submitAndWait(page, page.locator('#editions_build'));
    failures.push(...(await checkPage(page, response, 'edition with a queued build', { problems })));
    // The server's workers build it; a reload of the page shows the state (its script does too).
    let built = false;
    for (let i = 0; i < 60 && !built; i++) {
      const state = await page.request.get(ORIGIN + editionPath);
      built = (await state.text()).includes(`/${SLUG}.epub`);
      if (!built) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(built, 'the build finished within a minute');
    response = await page.goto(ORIGIN + editionPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'edition with a built version', { problems })));
  } finally {
    await coordination.close();
  }

  const visitor = await newContext();
  try {
    const page = await visitor.newPage();
    const problems = watchPage(page);
    let response = await page.goto(ORIGIN + '/bacheca', { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main a[href="/bacheca/ebook"]').click()]);
    response = await page.goto(ORIGIN + '/bacheca/ebook', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'board of editions', { problems })));
    const link = page.locator(`main a[href$="/1/${SLUG}.epub"]`);
    assert.equal(await link.count(), 1, 'the new edition is on the board');
    const href = await link.getAttribute('href');
    const download = await page.request.get(ORIGIN + href);
    assert.equal(download.status(), 200);
    assert.equal(download.headers()['content-type'], 'application/epub+zip');
    assert.equal(download.headers()['content-disposition'], `attachment; filename="${SLUG}.epub"`);
    const bytes = await download.body();
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.equal(bytes.subarray(30, 38).toString(), 'mimetype');
  } finally {
    await visitor.close();
  }
  assert.deepEqual(failures, []);
});
