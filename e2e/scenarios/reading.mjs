// Reading tools: two organisations of the same network answer the open round, then the network's
// results show its radar against the programme's median. Every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

/// Answers every scored question of the open answering page: the `level`-th point of every scale,
/// the first option of every choice, the lower bound of every number; then submits.
async function answerRound(page, level) {
  await page.evaluate((level) => {
    const groups = new Map();
    for (const input of document.querySelectorAll('main form input[type="radio"], main form input[type="checkbox"]')) {
      if (!groups.has(input.name)) groups.set(input.name, []);
      groups.get(input.name).push(input);
    }
    for (const inputs of groups.values()) {
      const pick = inputs.length === 5 ? inputs[level - 1] : inputs[0];
      pick.checked = true;
    }
    for (const input of document.querySelectorAll('main form input[inputmode="decimal"]')) input.value = '1';
  }, level);
  return submitAndWait(page, page.locator('main form button[value="submit"]'));
}

test('two organisations answer the open round and their network sees its radar', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  let networkResults = '';
  for (const [email, level] of [['referente@reti.example', 4], ['membro@reti.example', 2]]) {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      const account = ACCOUNTS.find((a) => a.email === email);
      await logIn(page, account.email, account.password);
      let response = await page.goto(ORIGIN + '/reading', { waitUntil: 'load' });
      failures.push(...(await checkPage(page, response, `reading tools of ${email}`, { problems })));
      const row = page.locator('main tr', { hasText: 'Rilevazione intermedia' }).filter({ hasText: 'Non iniziata' }).first();
      const answerHref = await row.locator('a[href*="/answer/"]').getAttribute('href');
      assert.ok(answerHref, `${email} has a mid-term round to answer`);
      networkResults = await page.locator('main a[href$="/reading"][href^="/networks/"]').first().getAttribute('href');

      response = await page.goto(ORIGIN + answerHref, { waitUntil: 'load' });
      failures.push(...(await checkPage(page, response, `answering page of ${email}`, { problems })));
      // A draft first, then the full answer.
      await page.locator('main form .form-check-label').first().click();
      await submitAndWait(page, page.locator('main form button[value="draft"]'));
      assert.equal(await page.locator('[role="status"]').first().innerText(), 'Bozza salvata: potete completarla più tardi.');
      response = await answerRound(page, level);
      assert.equal(new URL(page.url()).pathname, '/reading', 'submitting goes back to the reading tools');
      assert.equal(await page.locator('[role="status"]').first().innerText(), 'Risposta inviata. Grazie!');
      failures.push(...(await checkPage(page, response, `reading tools of ${email} after submitting`, { problems })));

      response = await page.goto(ORIGIN + networkResults, { waitUntil: 'load' });
      failures.push(...(await checkPage(page, response, `network results seen by ${email}`, { problems })));
      const radar = page.locator('main svg[role="img"]');
      assert.equal(await radar.count(), 1, 'the results show one radar');
      assert.match(await radar.locator('title').first().textContent(), /Rilevazione intermedia/);
      assert.equal(await radar.locator('polygon').count(), 6, 'four rings, the programme median and the network');
      assert.match(await page.locator('main').innerText(), /Spazi di crescita/);
    } finally {
      await context.close();
    }
  }
  // After both answers the network's mid-term profile counts two organisations.
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    let response = await page.goto(ORIGIN + networkResults, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'network results seen by the coordination', { problems })));
    assert.match(await page.locator('main dl').innerText(), /Enti che hanno risposto\s+2/);
    response = await page.goto(ORIGIN + '/reading', { waitUntil: 'load' });
    const instruments = await page.locator('main a[href$="/reading"][href^="/programmes/"]').first().getAttribute('href');
    for (const [path, where] of [[instruments, 'instruments and rounds'], [instruments + '/results', 'distribution and ranking']]) {
      response = await page.goto(ORIGIN + path, { waitUntil: 'load' });
      failures.push(...(await checkPage(page, response, where, { problems })));
    }
    const versionHref = await page.goto(ORIGIN + instruments, { waitUntil: 'load' }).then(() => page.locator('main a[href^="/reading/versions/"]').first().getAttribute('href'));
    response = await page.goto(ORIGIN + versionHref, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'published instrument', { problems })));
    const roundHref = await page.goto(ORIGIN + instruments, { waitUntil: 'load' }).then(() => page.locator('main a[href^="/reading/rounds/"]').first().getAttribute('href'));
    response = await page.goto(ORIGIN + roundHref, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'round progress', { problems })));
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
