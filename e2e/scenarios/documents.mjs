// Shared documents: two people open the same document in two browsers and both edit it; the
// second save is refused with the merge view (nothing overwritten), they merge and save again.
// History, diff and every page on the way pass axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const TITLE = `Verbale condiviso ${Date.now()}`;
const BODY = ['# Verbale', '', '- Apertura alle 9', '- Presenti i partner', '- Prossimi passi da decidere', '- Chiusura alle 12', ''].join('\n');

/** The first of the home page's networks whose documents `page`'s account reaches. */
async function networkOf(page) {
  await page.goto(ORIGIN + '/', { waitUntil: 'load' });
  const hrefs = await page.locator('main a[href^="/networks/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const href of hrefs.filter((h) => /^\/networks\/[0-9a-f-]{36}$/.test(h))) {
    const response = await page.request.get(ORIGIN + href + '/documents');
    if (response.status() === 200) return href;
  }
  throw new Error('no network with documents reachable');
}

test('two people edit one document: the stale save gets the merge view, is merged and saved', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  const lead = ACCOUNTS.find((a) => a.email === 'referente@reti.example');
  const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
  const first = await newContext();
  const second = await newContext();
  try {
    const giulia = await first.newPage();
    const ahmed = await second.newPage();
    const problemsG = watchPage(giulia);
    const problemsA = watchPage(ahmed);
    await logIn(giulia, lead.email, lead.password);
    await logIn(ahmed, member.email, member.password);

    const network = await networkOf(giulia);
    let response = await giulia.goto(ORIGIN + network + '/documents', { waitUntil: 'load' });
    failures.push(...(await checkPage(giulia, response, 'documents list', { problems: problemsG })));
    response = await giulia.goto(ORIGIN + network + '/documents/new', { waitUntil: 'load' });
    failures.push(...(await checkPage(giulia, response, 'new document', { problems: problemsG })));
    await giulia.fill('#title', TITLE);
    await giulia.fill('#document_body', BODY);
    response = await submitAndWait(giulia, giulia.locator('main form button[type="submit"]').last());
    const path = new URL(giulia.url()).pathname;
    assert.match(path, /^\/documents\/[0-9a-f-]+$/, 'the new document opens');
    failures.push(...(await checkPage(giulia, response, 'document', { problems: problemsG })));

    // Both open the edit form on revision 1.
    response = await giulia.goto(ORIGIN + path + '/edit', { waitUntil: 'load' });
    failures.push(...(await checkPage(giulia, response, 'edit form', { problems: problemsG })));
    await ahmed.goto(ORIGIN + path + '/edit', { waitUntil: 'load' });

    // Giulia saves first.
    await giulia.fill('#document_body', BODY.replace('Apertura alle 9', 'Apertura alle 9:30'));
    await giulia.fill('#summary', 'Orario corretto');
    await submitAndWait(giulia, giulia.locator('main form button[type="submit"]').last());
    assert.match(await giulia.locator('[role="status"]').first().innerText(), /revisione 2/);

    // Ahmed's save, based on revision 1, is refused with the merge view.
    const mine = BODY.replace('Prossimi passi da decidere', 'Prossimi passi: laboratorio a marzo');
    await ahmed.fill('#document_body', mine);
    response = await submitAndWait(ahmed, ahmed.locator('main form button[type="submit"]').last());
    failures.push(...(await checkPage(ahmed, response, 'merge view', { expectStatus: 409, problems: problemsA })));
    assert.match(await ahmed.locator('#merge-heading').innerText(), /cambiato mentre lo modificavi/);
    assert.equal(await ahmed.locator('#document_body').inputValue(), mine, 'his text is kept in the form');
    assert.ok((await ahmed.locator('main').innerText()).includes('Apertura alle 9:30'), 'her version is shown');

    // He merges by hand and saves against the new base.
    const merged = BODY.replace('Apertura alle 9', 'Apertura alle 9:30').replace('Prossimi passi da decidere', 'Prossimi passi: laboratorio a marzo');
    await ahmed.fill('#document_body', merged);
    await ahmed.fill('#summary', 'Unione delle modifiche');
    response = await submitAndWait(ahmed, ahmed.locator('main form[novalidate] button[type="submit"]'));
    assert.equal(response.status(), 200);
    assert.match(await ahmed.locator('[role="status"]').first().innerText(), /revisione 3/);
    const text = await ahmed.locator('article').innerText();
    assert.ok(text.includes('Apertura alle 9:30') && text.includes('laboratorio a marzo'), 'both changes are in');

    // History and the diff between revisions 1 and 3.
    response = await ahmed.goto(ORIGIN + path + '/history', { waitUntil: 'load' });
    failures.push(...(await checkPage(ahmed, response, 'history', { problems: problemsA })));
    await ahmed.check('#from-1');
    await ahmed.check('#to-3');
    response = await submitAndWait(ahmed, ahmed.locator('#diff-form > button[type="submit"]'));
    failures.push(...(await checkPage(ahmed, response, 'diff', { problems: problemsA })));
    assert.ok((await ahmed.locator('main table ins').count()) >= 2, 'added lines are marked');

    // A comment on revision 3, quoting a passage.
    await ahmed.goto(ORIGIN + path, { waitUntil: 'load' });
    await ahmed.fill('#quote', 'laboratorio a marzo');
    await ahmed.fill('#comment', 'Confermiamo la sede?');
    response = await submitAndWait(ahmed, ahmed.locator('#comments form button[type="submit"]'));
    failures.push(...(await checkPage(ahmed, response, 'document with comment', { problems: problemsA })));
    assert.ok((await ahmed.locator('#comments').innerText()).includes('Confermiamo la sede?'));
  } finally {
    await first.close();
    await second.close();
  }
  assert.deepEqual(failures, []);
});
