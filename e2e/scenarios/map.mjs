// Actor map: the coordination opens a network's map (drawing, tables, snapshots, growth spaces),
// adds a relation through the form without JavaScript tricks, finds it in the table, opens an ego
// view; every page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../accounts.mjs';
import { ORIGIN, TEST_TIMEOUT_MS, newContext, watchPage, checkPage, submitAndWait, logIn } from '../lib.mjs';

test('the coordination opens a network actor map, adds a relation and sees it in the table', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const coordinator = ACCOUNTS.find((a) => a.email === 'coordinamento@reti.example');
    await logIn(page, coordinator.email, coordinator.password);
    const failures = [];

    await page.goto(ORIGIN + '/networks', { waitUntil: 'load' });
    const networkHref = await page.locator('main a[href^="/networks/"]:not([href="/networks/new"])').first().getAttribute('href');
    await page.goto(ORIGIN + networkHref, { waitUntil: 'load' });
    let response = await submitAndWait(page, page.locator(`a[href="${networkHref}/map"]`).first());
    failures.push(...(await checkPage(page, response, 'actor map', { problems })));
    assert.equal(await page.locator('svg.actor-map[role="img"]').count(), 1, 'the drawing is there');
    assert.ok(await page.locator('.actor-map-controls button').count() === 3, 'pan and zoom controls are added');
    assert.match(await page.locator('main').innerText(), /Cambiamento da/, 'the demo has two snapshots');
    for (const extension of ['gexf', 'graphml']) {
      assert.equal(await page.locator(`a[href="${networkHref}/map.${extension}"][download]`).count(), 1, `the ${extension} download`);
    }

    // A relation a previous run left is removed first, so that the scenario runs again and again.
    const NOTE = 'Relazione aggiunta dal test e2e';
    const leftover = page.locator('#relations-table tr', { hasText: NOTE }).locator('form button[type="submit"]');
    if (await leftover.count() > 0) {
      await submitAndWait(page, leftover.first());
    }
    const options = page.locator('#organisation_a option');
    const count = await options.count();
    const a = await options.nth(count - 1).getAttribute('value');
    const b = await options.nth(count - 2).getAttribute('value');
    await page.selectOption('#organisation_a', a);
    await page.selectOption('#organisation_b', b);
    await page.selectOption('#kind', 'condivisione_risorse');
    await page.selectOption('#strength', '3');
    await page.fill('#note', NOTE);
    response = await submitAndWait(page, page.locator('form[action$="/map/relations"] button[type="submit"]'));
    failures.push(...(await checkPage(page, response, 'actor map after a relation', { problems })));
    assert.match(await page.locator('#relations-table').innerText(), /Relazione aggiunta dal test e2e/);

    response = await page.goto(ORIGIN + `${networkHref}/map/organisations/${a}`, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'ego view', { problems })));
    assert.match(await page.locator('main').innerText(), /Relazione aggiunta dal test e2e/);

    response = await page.goto(ORIGIN + `${networkHref}/map/import`, { waitUntil: 'load' });
    failures.push(...(await checkPage(page, response, 'relations import', { problems })));

    // Remove the relation again through its button: the table no longer lists it.
    await page.goto(ORIGIN + `${networkHref}/map`, { waitUntil: 'load' });
    await submitAndWait(page, page.locator('#relations-table tr', { hasText: NOTE }).locator('form button[type="submit"]').first());
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(NOTE));
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});
