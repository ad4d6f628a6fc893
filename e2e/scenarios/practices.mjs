// Good practices: a network member drafts and submits a practice, the coordination reviews and
// publishes it, and anyone finds it on the public board by an inflected Italian word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const TITLE = `Sportello per l'integrazione delle famiglie ${Date.now()}`;

test('a practice is drafted, submitted, reviewed, published and found on the board', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  let practicePath;

  const author = await newContext();
  try {
    const page = await author.newPage();
    const problems = watchPage(page);
    const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
    await logIn(page, member.email, member.password);
    let response = await page.goto(ORIGIN + '/practices', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'practices', { problems })));
    response = await page.goto(ORIGIN + '/practices/new', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'new practice form', { problems })));
    await page.fill('#title', TITLE);
    response = await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    assert.match(new URL(page.url()).pathname, /^\/practices\/[0-9a-f-]+$/, 'the draft opens');
    practicePath = new URL(page.url()).pathname;
    failures.push(...(await checkPage(page, response, 'draft', { problems })));

    // Submitting the bare draft names the missing fields.
    await submitAndWait(page, page.locator('button[name="step"][value="submit"]'));
    assert.match(await page.locator('.alert-danger').first().innerText(), /Problema affrontato/);

    response = await page.goto(ORIGIN + practicePath + '/edit', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'edit form', { problems })));
    await page.fill('#action_line', '2');
    await page.fill('#theme', 'Accesso ai servizi');
    await page.fill('#year', '2024');
    await page.fill('#municipalities', 'Sesto San Giovanni');
    await page.fill('#context', 'Un Comune della cintura milanese con molte famiglie neoarrivate.');
    await page.fill('#problem', 'Le famiglie straniere non sapevano a quale ufficio rivolgersi nella città.');
    await page.fill('#objectives', '- Un punto unico\n- Tempi di attesa più brevi');
    await page.fill('#target_group', 'Famiglie di paesi terzi');
    await page.fill('#activities', 'Sportello con mediatori due giorni a settimana.');
    await page.fill('#results', '**600** accessi nel primo anno.');
    await page.fill('#contacts', 'sportello@example.org');
    await submitAndWait(page, page.locator('main form button[type="submit"]').last());
    await submitAndWait(page, page.locator('button[name="step"][value="submit"]'));
    assert.equal(await page.locator('[role="status"]').first().innerText(), 'Scheda inviata alla revisione.');
  } finally {
    await author.close();
  }

  const reviewer = await newContext();
  try {
    const page = await reviewer.newPage();
    const problems = watchPage(page);
    const coordination = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordination.email, coordination.password);
    let response = await page.goto(ORIGIN + practicePath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'practice in review', { problems })));
    await submitAndWait(page, page.locator('button[name="step"][value="start_review"]'));
    await page.fill('#comment', 'Scheda chiara: **pubblichiamo**.');
    await submitAndWait(page, page.locator('button[name="step"][value="comment"]'));
    await submitAndWait(page, page.locator('button[name="step"][value="publish"]'));
    assert.equal(await page.locator('[role="status"]').first().innerText(), 'Scheda pubblicata sulla bacheca.');
  } finally {
    await reviewer.close();
  }

  const visitor = await newContext();
  try {
    const page = await visitor.newPage();
    const problems = watchPage(page);
    let response = await page.goto(ORIGIN + '/bacheca?q=' + encodeURIComponent('integrazioni'), { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'board search', { problems })));
    const id = practicePath.split('/').pop();
    const link = page.locator(`main a[href="/bacheca/${id}"]`);
    assert.equal(await link.count(), 1, 'found by an inflected word');
    await page.goto(ORIGIN + '/bacheca?q=' + encodeURIComponent("citta famiglia"), { waitUntil: 'load' });
    assert.equal(await page.locator(`main a[href="/bacheca/${id}"]`).count(), 1, 'accents folded');
    response = await page.goto(ORIGIN + `/bacheca/${id}`, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'public practice', { problems })));
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), TITLE);
    const api = await page.request.get(ORIGIN + '/api/v1/board/practices?q=' + encodeURIComponent("l'integrazione"));
    assert.equal(api.status(), 200);
    const json = await api.json();
    assert.ok(json.items.some((item) => item.id === id), 'the API finds it too');
  } finally {
    await visitor.close();
  }
  assert.deepEqual(failures, []);
});
