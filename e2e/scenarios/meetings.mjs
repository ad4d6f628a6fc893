// Meetings: schedule, register, sign the register, download the calendar file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

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
