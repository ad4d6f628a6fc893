// Remote exchanges: the network's lead opens a thread, a reply mentions a member, and the member
// finds the mention among their notifications and follows it to the thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('a thread, a reply with a mention, and the mentioned member sees the notification', { timeout: TEST_TIMEOUT_MS }, async () => {
  const lead = ACCOUNTS.find((a) => a.email === 'referente@reti.example');
  const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
  const title = `Turni dello sportello ${Date.now()}`;
  const failures = [];
  let threadPath = '';

  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await logIn(page, lead.email, lead.password);
    await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    const networkHref = await page.locator('main a[href^="/networks/"]').first().getAttribute('href');
    let response = await page.goto(ORIGIN + networkHref, { waitUntil: 'load' });
    response = await page.goto(ORIGIN + await page.locator(`main a[href="${networkHref}/threads"]`).getAttribute('href'), { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'threads of a network', { problems })));

    // An empty message is refused with the field named, and nothing is posted.
    await page.fill('#title', title);
    response = await submitAndWait(page, page.locator('form[enctype="multipart/form-data"] button[type="submit"]'));
    assert.equal(response.status(), 422);
    assert.match(await page.locator('main .alert-danger').innerText(), /«Messaggio» è obbligatorio/);

    await page.fill('#title', title);
    await page.fill('#message', 'Propongo **due turni** a settimana. Chi è disponibile?');
    response = await submitAndWait(page, page.locator('form[enctype="multipart/form-data"] button[type="submit"]'));
    assert.match(new URL(page.url()).pathname, /^\/threads\/[0-9a-f-]+$/, 'the thread opens');
    failures.push(...(await checkPage(page, response, 'a thread', { problems })));
    threadPath = new URL(page.url()).pathname;

    // Quote the opening message and mention the member.
    response = await page.goto(ORIGIN + await page.locator('main a[href*="?quote="]').first().getAttribute('href'), { waitUntil: 'load' });
    assert.match(await page.locator('#message').inputValue(), /^> \*\*Giulia Rossi:\*\*/);
    await page.fill('#message', (await page.locator('#message').inputValue()) + 'Io il martedì. @Ahmed Benali puoi il giovedì?');
    response = await submitAndWait(page, page.locator('form[action$="/replies"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'a thread with a reply', { problems })));
    assert.equal(await page.locator('main blockquote').count() >= 1, true, 'the quote shows as a quote');
  } finally {
    await context.close();
  }

  const second = await newContext();
  try {
    const page = await second.newPage();
    const problems = watchPage(page);
    await logIn(page, member.email, member.password);
    await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    assert.match(await page.locator('a.reti-notifications').innerText(), /\d/, 'the bell counts the unread');
    let response = await page.goto(ORIGIN + '/notifications', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'notifications', { problems })));
    const item = page.locator('main li', { hasText: `Giulia Rossi ti ha menzionato/a nella discussione «${title}»` });
    assert.equal(await item.count(), 1, 'the mention is listed');
    response = await submitAndWait(page, item.locator('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, threadPath, 'the notification leads to the thread');
    failures.push(...(await checkPage(page, response, 'the thread from a notification', { problems })));
    assert.match(await page.locator('main').innerText(), /puoi il giovedì/);
  } finally {
    await second.close();
  }
  assert.deepEqual(failures, []);
});
