// Reti browser tests: headless Chromium (Debian's) driven by playwright-core,
// every page checked with axe-core for WCAG 2.1 A/AA.
//
//   cd e2e && npm ci            (once)
//   BASE_URL=http://127.0.0.1:18080 node e2e/run.mjs
//
// Environment:
//   BASE_URL          the running app (default http://127.0.0.1:18080)
//   CHROMIUM          the browser binary (default /usr/bin/chromium)
//   E2E_MAX_PAGES     pages per crawl (default 60)
//   E2E_WAIT_SECONDS  how long to wait for the server to answer (default 30)
//
// Uses node:test, so the output ends with the standard summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { ACCOUNTS } from './accounts.mjs';
import {
  ORIGIN, TEST_TIMEOUT_MS, ERROR_SELECTORS, getBrowser, newContext, watchPage, checkPage, crawl,
  assertNoFailures, submitAndWait, logIn,
} from './lib.mjs';

// ------------------------------------------------------------------ tests

test('anonymous crawl: every page answers, has a language and passes axe', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const context = await newContext();
  try {
    const result = await crawl(context, 'anonymous');
    assert.ok(result.visited.length > 0, 'no page visited');
    assertNoFailures(t, 'anonymous', result);
  } finally {
    await context.close();
  }
});

for (const account of ACCOUNTS) {
  test(`log in, crawl and log out as ${account.email} (${account.role})`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      await logIn(page, account.email, account.password);
      const landed = new URL(page.url());
      if (landed.pathname !== '/') {
        const text = (await page.locator('main').innerText().catch(() => '')).slice(0, 300);
        assert.fail(`after login expected to land on /, got ${landed.pathname}${landed.search}. Page says: ${text}`);
      }
      assert.equal(await page.locator('form[action="/logout"]').count(), 1, 'no logout form after login');
      assert.deepEqual(problems, [], 'errors on the landing page');

      const result = await crawl(context, account.email, { requireLogout: true });
      assertNoFailures(t, account.email, result);

      // Log out through the real form.
      await page.goto(ORIGIN + '/', { waitUntil: 'load' });
      const logout = page.locator('form[action="/logout"]').first();
      assert.equal(await logout.locator('input[name="csrf_token"]').count(), 1, 'logout form has no csrf_token');
      await submitAndWait(page, logout.locator('button, input[type="submit"]').first());
      await page.goto(ORIGIN + '/', { waitUntil: 'load' });
      assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'still logged in after logout');
      assert.ok((await page.locator('a[href="/login"]').count()) > 0, 'no login link after logout');
      await page.close();
    } finally {
      await context.close();
    }
  });
}

test('a wrong password shows an error on the login page', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const response = await logIn(page, ACCOUNTS[0].email, 'not-the-password');
    const status = response ? response.status() : 0;
    assert.ok(status === 200 || (status >= 400 && status < 500), `login with a wrong password answered HTTP ${status}`);
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'a wrong password logged the user in');
    assert.ok((await page.locator('input[name="password"]').count()) > 0, 'the login form is no longer shown');
    assert.ok(
      (await page.locator(ERROR_SELECTORS).count()) > 0,
      `no error message shown (looked for ${ERROR_SELECTORS})`,
    );
    const failures = await checkPage(page, response, '[wrong password] /login', {
      expectStatus: status,
      problems,
    });
    assert.deepEqual(failures, [], failures.join('\n'));
  } finally {
    await context.close();
  }
});

test('an unknown page answers 404 with a friendly page that passes axe', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const response = await page.goto(ORIGIN + '/this-page-does-not-exist', { waitUntil: 'load' });
    const failures = await checkPage(page, response, '/this-page-does-not-exist', { expectStatus: 404, problems });
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.ok((await page.locator('main h1').count()) > 0, 'the 404 page has no <h1> in <main>');
    assert.ok((await page.locator('main a[href="/"]').count()) > 0, 'the 404 page has no link back home');
  } finally {
    await context.close();
  }
});

test('Italian by default, English from Accept-Language and from the switch link', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const [acceptLanguage, expected] of [
    ['it-IT,it;q=0.9', 'it'],
    ['de-DE,de;q=0.9', 'it'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
  ]) {
    const context = await newContext(acceptLanguage);
    try {
      const page = await context.newPage();
      await page.goto(ORIGIN + '/', { waitUntil: 'load' });
      assert.equal(await page.getAttribute('html', 'lang'), expected, `Accept-Language: ${acceptLanguage}`);
    } finally {
      await context.close();
    }
  }

  const context = await newContext();
  try {
    const page = await context.newPage();
    await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    const toEnglish = page.locator('a[hreflang="en"]').first();
    assert.equal(await toEnglish.count(), 1, 'no link with hreflang="en" on the Italian home page');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), toEnglish.click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language switch did not switch to English');
    await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the English choice did not stick for the next page');
  } finally {
    await context.close();
  }
});

test('on a phone the main menu is reachable, with and without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
  const phone = { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true };
  const { email, password } = ACCOUNTS[0];

  // With JavaScript: the page passes axe and the burger opens the menu.
  let context = await getBrowser().newContext({ ...phone, locale: 'it-IT', extraHTTPHeaders: { 'Accept-Language': 'it' } });
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await logIn(page, email, password);
    const response = await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    const failures = await checkPage(page, response, '[phone] /', { problems });
    assert.deepEqual(failures, [], failures.join('\n'));
    const links = page.locator('header nav a.nav-link');
    if ((await links.count()) > 0) {
      await page.locator('header .custom-navbar-toggler').click();
      await links.first().waitFor({ state: 'visible' });
    }
  } finally {
    await context.close();
  }

  // Without JavaScript: log in through the plain form; every menu link is visible.
  context = await getBrowser().newContext({ ...phone, javaScriptEnabled: false, locale: 'it-IT', extraHTTPHeaders: { 'Accept-Language': 'it' } });
  try {
    const page = await context.newPage();
    await logIn(page, email, password);
    assert.equal(new URL(page.url()).pathname, '/', 'login without JavaScript did not land on /');
    assert.equal(await page.locator('form[action="/logout"]').count(), 1, 'not logged in without JavaScript');
    const links = page.locator('header nav a');
    const n = await links.count();
    for (let i = 0; i < n; i++) {
      const link = links.nth(i);
      assert.ok(await link.isVisible(), `menu link ${await link.getAttribute('href')} is hidden without JavaScript`);
    }
  } finally {
    await context.close();
  }
});

// Scenarios of each activity live in scenarios/, one file each, so that they grow independently.
for (const file of (await readdir(new URL('./scenarios/', import.meta.url))).sort()) {
  if (file.endsWith('.mjs')) await import(new URL(`./scenarios/${file}`, import.meta.url));
}
