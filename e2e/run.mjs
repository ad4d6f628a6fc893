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
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { ACCOUNTS } from './accounts.mjs';

const require = createRequire(import.meta.url);

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const ORIGIN = new URL(BASE_URL).origin;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX_PAGES = Number(process.env.E2E_MAX_PAGES || 60);
const WAIT_SECONDS = Number(process.env.E2E_WAIT_SECONDS || 30);
const NAV_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 15 * 60_000;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

// Links the crawler never follows.
const SKIP_PREFIXES = ['/logout', '/static/', '/api/'];
const FILE_EXTENSIONS = /\.(ics|csv|xlsx|xls|json|epub|pdf|zip|xml|txt|svg|png|jpe?g|gif|webp)$/i;

// Selectors for "the login page shows an error".
const ERROR_SELECTORS = [
  '[role="alert"]',
  '.alert-danger',
  '.alert',
  '.invalid-feedback',
  '.form-feedback',
  '[aria-invalid="true"]',
].join(', ');

let browser;

before(async () => {
  await waitForServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// ---------------------------------------------------------------- helpers

async function waitForServer() {
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(BASE_URL + '/', { redirect: 'manual' });
      if (res.status > 0) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server at ${BASE_URL} did not answer within ${WAIT_SECONDS}s: ${lastError?.message ?? 'no response'}`);
}

/** A browser context with Italian (or the given) language preferences. */
async function newContext(acceptLanguage = 'it-IT,it;q=0.9') {
  const locale = acceptLanguage.split(',')[0];
  const context = await browser.newContext({
    locale,
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage },
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  return context;
}

/** Collects CSP violations and uncaught script errors of a page (deduplicated, shortened). */
function watchPage(page) {
  const problems = [];
  const add = (text) => {
    const short = text.replace(/data:[^'"\s)]{40,}/g, (m) => m.slice(0, 40) + '…').slice(0, 400);
    if (!problems.includes(short)) problems.push(short);
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) add(`CSP violation: ${msg.text()}`);
  });
  page.on('pageerror', (err) => add(`script error: ${err.message}`));
  return problems;
}

/** Runs axe-core on the current page; returns serious/critical violations. */
async function axeViolations(page) {
  // page.evaluate goes through the DevTools protocol, so the page's CSP
  // (script-src 'self') does not block it, unlike addScriptTag({content}).
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  return results.violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
}

function formatViolations(where, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`  ${where}  [${v.impact}] ${v.id}: ${v.help}`);
    lines.push(`      ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`      - ${node.target.join(' ')}`);
      if (node.failureSummary) {
        lines.push(`        ${node.failureSummary.replace(/\s*\n\s*/g, ' | ')}`);
      }
    }
    if (v.nodes.length > 10) lines.push(`      … and ${v.nodes.length - 10} more elements`);
  }
  return lines.join('\n');
}

/**
 * Checks the page that is loaded now: status < 400 (unless expectStatus),
 * html[lang] it/en, no serious axe violation. Returns a list of failures.
 */
async function checkPage(page, response, where, { expectStatus, problems = [] } = {}) {
  const failures = [];
  const status = response ? response.status() : 0;
  if (expectStatus !== undefined) {
    if (status !== expectStatus) failures.push(`${where}: HTTP ${status}, expected ${expectStatus}`);
  } else if (status === 0 || status >= 400) {
    failures.push(`${where}: HTTP ${status}`);
  }
  const lang = await page.getAttribute('html', 'lang').catch(() => null);
  if (lang !== 'it' && lang !== 'en') failures.push(`${where}: html[lang] is ${JSON.stringify(lang)}, expected "it" or "en"`);
  const contentType = response ? response.headers()['content-type'] || '' : '';
  if (contentType.includes('text/html')) {
    const violations = await axeViolations(page);
    if (violations.length) failures.push(`${where}: accessibility violations\n${formatViolations(where, violations)}`);
  }
  if (problems.length) {
    failures.push(`${where}: ${problems.join('\n    ')}`);
    problems.length = 0;
  }
  return failures;
}

/** The same-origin path+query to visit for a link, or null to skip it. */
function crawlTarget(href) {
  let url;
  try {
    url = new URL(href, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  if (SKIP_PREFIXES.some((p) => url.pathname === p.replace(/\/$/, '') || url.pathname.startsWith(p))) return null;
  if (FILE_EXTENSIONS.test(url.pathname)) return null;
  return { key: url.pathname + url.search, isLangSwitch: url.searchParams.has('lang') };
}

// Pages of the same shape (/organisations/<id>) share a template: two of each are enough, so the
// page budget goes to kinds of page the crawl has not seen yet.
const PER_SHAPE = 2;
const ID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function shapeOf(key) {
  return key
    .replace(ID_PATTERN, '{id}')
    .replace(/([?&]page=)\d+/, '$1{n}')
    .replace(/([?&]month=)\d{4}-\d{2}/, '$1{month}');
}

/**
 * Breadth-first crawl from "/" over same-origin links, at most MAX_PAGES pages.
 * If requireLogout, every page must still show the logout form (session kept).
 */
async function crawl(context, label, { requireLogout = false } = {}) {
  let page = await context.newPage();
  let problems = watchPage(page);
  const queue = ['/'];
  const seen = new Set(queue);
  const shapes = new Map();
  let langSwitchTaken = false;
  const visited = [];
  const failures = [];

  while (queue.length && visited.length < MAX_PAGES) {
    const path = queue.shift();
    const where = `[${label}] ${path}`;
    let response;
    try {
      response = await page.goto(ORIGIN + path, { waitUntil: 'load' });
    } catch (err) {
      failures.push(`${where}: navigation failed: ${err.message.split('\n')[0]}`);
      // A failed navigation can leave the tab on an error page: start afresh.
      await page.close().catch(() => {});
      page = await context.newPage();
      problems = watchPage(page);
      continue;
    }
    visited.push(path);
    failures.push(...(await checkPage(page, response, where, { problems })));

    if (requireLogout && (await page.locator('form[action="/logout"]').count()) === 0) {
      failures.push(`${where}: no logout form: the session seems lost (landed on ${page.url()})`);
    }

    const hrefs = await page.$$eval('a[href]:not([download])', (as) => as.map((a) => a.getAttribute('href')));
    const base = page.url();
    for (const raw of hrefs) {
      if (!raw || raw.startsWith('#')) continue;
      const target = crawlTarget(new URL(raw, base).href);
      if (!target || seen.has(target.key)) continue;
      const shape = shapeOf(target.key);
      if ((shapes.get(shape) || 0) >= PER_SHAPE) continue;
      shapes.set(shape, (shapes.get(shape) || 0) + 1);
      if (target.isLangSwitch) {
        if (langSwitchTaken) continue;
        langSwitchTaken = true;
      }
      seen.add(target.key);
      queue.push(target.key);
    }
  }
  await page.close();
  return { visited, failures };
}

function assertNoFailures(t, label, { visited, failures }) {
  t.diagnostic(`${label}: visited ${visited.length} page(s): ${visited.join(' ')}`);
  if (failures.length) {
    assert.fail(`${failures.length} problem(s) while crawling as ${label}:\n${failures.join('\n')}`);
  }
}

/** Clicks a submit button and waits for the resulting page to load. */
async function submitAndWait(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

function loginButton(page) {
  return page
    .locator('form:has(input[name="password"])')
    .first()
    .locator('button[type="submit"], input[type="submit"], button:not([type])')
    .first();
}

async function logIn(page, email, password) {
  const res = await page.goto(ORIGIN + '/login', { waitUntil: 'load' });
  assert.ok(res && res.status() < 400, `GET /login answered ${res && res.status()}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  return submitAndWait(page, loginButton(page));
}

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
  let context = await browser.newContext({ ...phone, locale: 'it-IT', extraHTTPHeaders: { 'Accept-Language': 'it' } });
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
  context = await browser.newContext({ ...phone, javaScriptEnabled: false, locale: 'it-IT', extraHTTPHeaders: { 'Accept-Language': 'it' } });
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

test('a facilitator schedules a meeting, registers a participant, signs the register and downloads the .ics', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const facilitator = ACCOUNTS.find((a) => a.email === 'accompagnatore@reti.example');
    await logIn(page, facilitator.email, facilitator.password);
    const networkHref = await page.locator('main a[href^="/networks/"]').first().getAttribute('href');
    assert.ok(networkHref, 'the facilitator sees their networks on the home page');
    const failures = [];

    let response = await page.goto(ORIGIN + networkHref + '/meetings', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'calendar', { problems })));
    response = await page.goto(ORIGIN + networkHref + '/meetings?view=list', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'calendar list', { problems })));

    response = await page.goto(ORIGIN + networkHref + '/meetings/new', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'new meeting form', { problems })));
    await page.fill('#title', 'Incontro di prova e2e');
    await page.selectOption('#kind', 'workshop');
    await page.selectOption('#mode', 'in_presenza');
    await page.fill('#place', 'Sala riunioni');
    await page.fill('#starts_at', '2027-03-10T10:00');
    await page.fill('#ends_at', '2027-03-10T12:00');
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.match(new URL(page.url()).pathname, /^\/meetings\/[0-9a-f-]+$/, 'the new meeting page opens');
    failures.push(...(await checkPage(page, response, 'meeting page', { problems })));
    const meetingPath = new URL(page.url()).pathname;

    const registration = page.locator('form[action$="/registrations"]');
    const person = await registration.locator('#person_id option:not([value=""])').first().getAttribute('value');
    await registration.locator('#person_id').selectOption(person);
    await submitAndWait(page, registration.locator('button[type="submit"]'));
    assert.equal(await page.locator('[role="status"]').first().innerText(), 'Iscrizione registrata.');

    const register = page.locator('form[action$="/attendance"]');
    await register.locator('input[name="present[0]"]').check();
    await register.locator('input[name="minutes[0]"]').fill('100');
    await submitAndWait(page, register.locator('button[type="submit"]'));
    await submitAndWait(page, page.locator('form[action$="/sign"] button[type="submit"]'));
    const hash = await page.locator('code.reti-hash').first().innerText();
    assert.match(hash, /^[0-9a-f]{64}$/, 'the signed register shows its hash');
    response = await page.goto(ORIGIN + meetingPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'meeting page after sign-off', { problems })));

    response = await page.goto(ORIGIN + meetingPath + '/register', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'printable register', { problems })));

    const ics = await page.request.get(ORIGIN + meetingPath + '/calendar.ics');
    assert.equal(ics.status(), 200);
    assert.match(ics.headers()['content-type'], /^text\/calendar/);
    const body = await ics.text();
    assert.match(body, /BEGIN:VCALENDAR/);
    assert.match(body, /DTSTART;TZID=Europe\/Rome:20270310T100000/);
    assert.match(body, /BEGIN:VTIMEZONE/);

    response = await page.goto(ORIGIN + '/agenda', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'agenda', { problems })));
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
