// Sustainability plan: the network's lead opens its plan from the network page, is told which
// round still waits for a review, changes the summary, is refused a funding source without its
// kind (the field named), adds one, finds it in the table and opens its prefilled form; a member
// reads the plan; the coordination opens the programme's table of plans. Every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

const NOTE = 'Fonte aggiunta dal test e2e';

test('the lead edits the sustainability plan and adds a funding source', { timeout: TEST_TIMEOUT_MS }, async () => {
  const failures = [];
  let planPath = '';
  const lead = ACCOUNTS.find((a) => a.email === 'referente@reti.example');
  let context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await logIn(page, lead.email, lead.password);
    await page.goto(ORIGIN + '/', { waitUntil: 'load' });
    const networkHref = await page.locator('main a[href^="/networks/"]').first().getAttribute('href');
    await page.goto(ORIGIN + networkHref, { waitUntil: 'load' });
    let response = await submitAndWait(page, page.locator(`main a[href="${networkHref}/sustainability"]`).first());
    planPath = new URL(page.url()).pathname;
    failures.push(...(await checkPage(page, response, 'sustainability plan', { problems })));
    assert.match(await page.locator('#sustain-review-due').innerText(), /Rilevazione intermedia/, 'the open round waits for a review');

    // A source left by a previous run is removed first, so that the scenario runs again and again.
    const leftovers = page.locator('#sources-table tr', { hasText: NOTE }).locator('form button[type="submit"]');
    while (await leftovers.count() > 0) {
      await submitAndWait(page, leftovers.first());
    }

    const summary = `Il tavolo continua con i Comuni (aggiornato ${new Date().toISOString()}).`;
    await page.fill('#plan-sustain_summary', summary);
    response = await submitAndWait(page, page.locator(`main form[action="${planPath}"] button[type="submit"]`));
    assert.equal(await page.locator('[role="status"]').first().innerText(), 'Modifiche salvate.');
    assert.match(await page.locator('main').innerText(), /aggiornato/);

    // Without its kind the source is refused, the field named, the amount typed kept.
    await page.fill('#sources-sustain_amount', '7.500');
    await page.selectOption('#sources-status', 'requested');
    response = await submitAndWait(page, page.locator(`main form[action="${planPath}/sources"] button[type="submit"]`));
    assert.equal(response.status(), 422);
    assert.match(await page.locator('main .alert-danger').innerText(), /«Tipologia» è obbligatorio/);
    assert.equal(await page.inputValue('#sources-sustain_amount'), '7.500');
    failures.push(...(await checkPage(page, response, 'sustainability plan with an error', { expectStatus: 422, problems })));

    await page.selectOption('#sources-kind', 'municipal');
    await page.fill('#sources-note', NOTE);
    response = await submitAndWait(page, page.locator(`main form[action="${planPath}/sources"] button[type="submit"]`));
    const row = page.locator('#sources-table tr', { hasText: NOTE });
    assert.equal(await row.count(), 1, 'the new source is in the table');
    assert.match(await row.innerText(), /Fondi comunali\s+7\.500,00 €\s+Richiesto/);
    failures.push(...(await checkPage(page, response, 'sustainability plan with the new source', { problems })));

    response = await submitAndWait(page, row.locator('a[href*="?edit="]'));
    assert.equal(await page.inputValue('#sources-note'), NOTE, 'the form is prefilled');
    failures.push(...(await checkPage(page, response, 'a funding source being changed', { problems })));
  } finally {
    await context.close();
  }

  context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const member = ACCOUNTS.find((a) => a.email === 'membro@reti.example');
    await logIn(page, member.email, member.password);
    const response = await page.goto(ORIGIN + planPath, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'sustainability plan read by a member', { problems })));
    assert.equal(await page.locator('#sources-kind').count(), 0, 'a member has no forms');
    assert.equal(await page.locator('#sources-table tr', { hasText: NOTE }).count(), 1);
  } finally {
    await context.close();
  }

  context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    await page.goto(ORIGIN + '/programmes', { waitUntil: 'load' });
    const programmeHref = await page.locator('main a[href^="/programmes/"]').first().getAttribute('href');
    const response = await page.goto(ORIGIN + programmeHref + '/sustainability', { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'sustainability plans of the programme', { problems })));
    assert.match(await page.locator('#sustain-share').innerText(), /reti su \d+ hanno un piano finanziato/);
    assert.ok(await page.locator(`#plans-table a[href="${planPath}"]`).count() === 1, 'the table links the plan');
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
