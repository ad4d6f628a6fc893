// Shared helpers of the browser suite: the browser, contexts, axe checks, the crawler and log-in.
// Scenario files under scenarios/ import what they need from here; run.mjs loads them all.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const ORIGIN = new URL(BASE_URL).origin;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX_PAGES = Number(process.env.E2E_MAX_PAGES || 60);
const WAIT_SECONDS = Number(process.env.E2E_WAIT_SECONDS || 30);
const NAV_TIMEOUT_MS = 30_000;
export const TEST_TIMEOUT_MS = 15 * 60_000;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

// Links the crawler never follows.
const SKIP_PREFIXES = ['/logout', '/static/', '/api/'];
const FILE_EXTENSIONS = /\.(ics|csv|xlsx|xls|json|epub|pdf|zip|xml|txt|svg|png|jpe?g|gif|webp)$/i;

// Selectors for "the login page shows an error".
export const ERROR_SELECTORS = [
  '[role="alert"]',
  '.alert-danger',
  '.alert',
  '.invalid-feedback',
  '.form-feedback',
  '[aria-invalid="true"]',
].join(', ');

let browser;

/** The one Chromium of the run, launched before the first test. */
export function getBrowser() {
  return browser;
}

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

export async function waitForServer() {
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
export async function newContext(acceptLanguage = 'it-IT,it;q=0.9') {
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
export function watchPage(page) {
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
export async function axeViolations(page) {
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

export function formatViolations(where, violations) {
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
export async function checkPage(page, response, where, { expectStatus, problems = [] } = {}) {
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
export function crawlTarget(href) {
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

export function shapeOf(key) {
  return key
    .replace(ID_PATTERN, '{id}')
    .replace(/([?&]page=)\d+/, '$1{n}')
    .replace(/([?&]month=)\d{4}-\d{2}/, '$1{month}');
}

/**
 * Breadth-first crawl from "/" over same-origin links, at most MAX_PAGES pages.
 * If requireLogout, every page must still show the logout form (session kept).
 */
export async function crawl(context, label, { requireLogout = false } = {}) {
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

export function assertNoFailures(t, label, { visited, failures }) {
  t.diagnostic(`${label}: visited ${visited.length} page(s): ${visited.join(' ')}`);
  if (failures.length) {
    assert.fail(`${failures.length} problem(s) while crawling as ${label}:\n${failures.join('\n')}`);
  }
}

/** Clicks a submit button and waits for the resulting page to load. */
export async function submitAndWait(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

export function loginButton(page) {
  return page
    .locator('form:has(input[name="password"])')
    .first()
    .locator('button[type="submit"], input[type="submit"], button:not([type])')
    .first();
}

export async function logIn(page, email, password) {
  const res = await page.goto(ORIGIN + '/login', { waitUntil: 'load' });
  assert.ok(res && res.status() < 400, `GET /login answered ${res && res.status()}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  return submitAndWait(page, loginButton(page));
}

