/**
 * A nurse's view of the doctor's patient: no SSN anywhere, not on the page
 * and not in any response the browser received, and the sensitive record
 * shown as restricted with its diagnosis and notes withheld.
 */
import assert from 'node:assert/strict';

import { choose, recordResponses, signIn } from '../lib/browser.js';

/** Fails when any response body holds the SSN, with or without dashes. */
export function assertNoSsn(bodies, ssn, who) {
  assert.ok(ssn, 'the SSN was read from the doctor’s view first');
  const digits = ssn.replace(/-/g, '');
  const leaks = bodies
    .filter(({ text }) => text.includes(ssn) || text.includes(digits))
    .map(({ url }) => url);
  assert.deepEqual(leaks, [], `no response to ${who} contains the SSN`);
}

async function findRestrictedRecord(page) {
  await choose(page, page, /Records per page/, '100');
  const withheld = page.getByText('Details withheld for your role.').first();
  for (let pageNumber = 1; pageNumber <= 10; pageNumber += 1) {
    await page
      .getByRole('progressbar', { name: 'Loading records' })
      .waitFor({ state: 'detached' });
    if (await withheld.isVisible()) return withheld;
    const next = page.getByRole('button', { name: 'Go to next page' });
    if (await next.isDisabled()) break;
    await next.click();
  }
  throw new Error('the nurse saw no restricted record');
}

export async function nurseView(env) {
  const { chart, staff } = env.scenario;
  const { page, blocked } = await env.open('nurse');
  const recorder = recordResponses(page);
  await signIn(page, env.origin, staff.nurse);
  const table = page.getByRole('table', { name: 'Patients' });
  await table.getByRole('link', { name: chart.lastName }).waitFor();
  const headers = await table.getByRole('columnheader').allTextContents();
  assert.ok(!headers.includes('SSN'), 'a nurse’s list has no SSN column');
  await env.a11y(page, 'patient list (nurse)');
  await table.getByRole('link', { name: chart.lastName }).click();

  const name = `${chart.firstName} ${chart.lastName}`;
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.locator('dt:text-is("MRN")').waitFor();
  assert.equal(await page.locator('dt:text-is("SSN")').count(), 0);
  await env.a11y(page, 'patient demographics (nurse)');
  await env.shot(page, '06-nurse-patient-demographics');

  await page.getByRole('tab', { name: 'Records' }).click();
  const withheld = await findRestrictedRecord(page);
  const card = page.getByRole('listitem').filter({ has: withheld });
  await card.first().getByText('Restricted', { exact: true }).waitFor();
  await withheld.evaluate((node) =>
    node.closest('li').scrollIntoView({ block: 'center' }),
  );
  await env.a11y(page, 'records with a restricted one (nurse)');
  await env.shot(page, '07-nurse-restricted-record', { fullPage: false });

  // On a phone the sections move into a menu.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Open the menu' }).click();
  const menu = page.getByRole('dialog', { name: 'Menu' });
  await menu.getByRole('link', { name: 'Emergency' }).waitFor();
  await env.a11y(page, 'menu on a narrow screen (nurse)');
  await env.shot(page, '08-nurse-phone-menu', { fullPage: false });
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });

  await recorder.settle();
  assertNoSsn(recorder.bodies, env.ssnByPatient.get(chart.id), 'the nurse');
  const recordLists = recorder.bodies.filter(({ url }) =>
    /\/api\/patients\/\d+\/records/.test(url),
  );
  assert.ok(recordLists.length > 0, 'the record lists were recorded');
  for (const { text } of recordLists) {
    for (const item of JSON.parse(text).items) {
      if (!item.restricted) continue;
      assert.ok(!('diagnosis' in item), 'a restricted diagnosis is not sent');
      assert.ok(!('notes' in item), 'restricted notes are not sent');
    }
  }
  assert.deepEqual(blocked, [], 'no request left the test server');
}
