// Custom indicators: the coordination defines a formula over the built-in indicators and an
// indicator of values typed by hand with evidence, is refused a value without its evidence, types
// one with its file, and sees both on the programme's dashboard; every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('custom indicators reach the dashboard', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    const failures = [];
    const suffix = Date.now().toString(36);
    const formulaCode = `reti_doppie_${suffix}`;
    const manualCode = `volontari_${suffix}`;

    await page.goto(ORIGIN + '/programmes', { waitUntil: 'load' });
    const programmeHref = await page.locator('main a[href^="/programmes/"]').first().getAttribute('href');
    await page.goto(ORIGIN + programmeHref + '/indicators', { waitUntil: 'load' });
    let response = await submitAndWait(page, page.locator('#custom-indicators-link'));
    failures.push(...(await checkPage(page, response, 'custom indicators', { problems })));

    // A formula over a built-in indicator.
    await page.fill('#custom_code', formulaCode);
    await page.fill('#custom_label_it', 'Reti per due');
    await page.check('#custom_kind_formula');
    await page.fill('#custom_formula', 'networks_supported * 2');
    response = await submitAndWait(page, page.locator('main form[action$="/indicators/custom"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'formula indicator', { problems })));
    assert.equal((await page.locator('#custom-formula').innerText()).trim(), 'networks_supported * 2');
    assert.equal(await page.locator('tr.custom-input').count(), 1, 'its input, with its value');

    // A formula naming an unknown indicator is refused on its field.
    await page.goto(ORIGIN + programmeHref + '/indicators/custom', { waitUntil: 'load' });
    await page.fill('#custom_code', `sbagliato_${suffix}`);
    await page.fill('#custom_label_it', 'Sbagliato');
    await page.check('#custom_kind_formula');
    await page.fill('#custom_formula', 'felicita / 2');
    response = await submitAndWait(page, page.locator('main form[action$="/indicators/custom"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'a bad formula', { problems, expectStatus: 422 })));
    assert.match(await page.locator('#custom_formula-error').innerText(), /felicita/);

    // Values typed by hand, evidence required.
    await page.fill('#custom_code', manualCode);
    await page.fill('#custom_label_it', 'Volontari coinvolti');
    await page.fill('#custom_formula', '');
    await page.locator('label[for="custom_kind_manual"]').click();
    await page.locator('label[for="custom_evidence_required"]').click();
    await page.selectOption('#custom_amif', 'R.2.9');
    response = await submitAndWait(page, page.locator('main form[action$="/indicators/custom"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'manual indicator', { problems })));
    const network = await page.locator('#custom_network option').nth(1).getAttribute('value');
    // A year within the demo programme's dates.
    await page.fill('#custom_period', '2020');
    await page.selectOption('#custom_network', network);
    await page.fill('#custom_value', '7');
    response = await submitAndWait(page, page.locator('form[enctype="multipart/form-data"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'a value without evidence', { problems, expectStatus: 422 })));
    assert.ok(await page.locator('#file-error').count(), 'the file field names the missing evidence');
    await page.fill('#custom_period', '2020');
    await page.selectOption('#custom_network', network);
    await page.fill('#custom_value', '7');
    await page.setInputFiles('#file', { name: 'registro.csv', mimeType: 'text/csv', buffer: Buffer.from('nome;ore\nAnna;3\n') });
    response = await submitAndWait(page, page.locator('form[enctype="multipart/form-data"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'a value with evidence', { problems })));
    assert.equal(await page.locator('tr.custom-value a', { hasText: 'registro.csv' }).count(), 1);

    // Both on the programme's dashboard, beside the built-in ones.
    await page.goto(ORIGIN + programmeHref + '/indicators', { waitUntil: 'load' });
    assert.equal(await page.locator(`#indicator-${formulaCode}`).count(), 1);
    assert.equal(await page.locator(`#indicator-${manualCode}`).count(), 1);
    assert.match(await page.locator(`td[data-amif="${manualCode}"]`).innerText(), /R\.2\.9/);
    assert.match(await page.locator(`td[data-amif="participants_unique"]`).innerText(), /O\.2\.3/);
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
