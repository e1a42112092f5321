/**
 * A nurse breaks the glass: refused at a patient outside her care team,
 * she requests emergency access with a justification, confirms that it is
 * logged and reviewed, and lands on the chart with a countdown banner.
 */
import assert from 'node:assert/strict';

import { choose, recordResponses, signIn } from '../lib/browser.js';

import { assertNoSsn } from './nurse-view.js';

export const JUSTIFICATION =
  'Found unresponsive in the waiting room; need allergies and current medications before treating.';

/** Whether the server has the break-glass API yet (404 until it does). */
export async function emergencyApiPresent(session) {
  const probe = await session.call('POST', '/emergency/request', {});
  return probe.status !== 404;
}

export async function fillEmergencyRequest(page, reason = JUSTIFICATION) {
  await choose(page, page, /^Reason/, 'Emergency treatment');
  await page.getByLabel(/^Justification/).fill(reason);
}

export async function breakGlass(env) {
  const { outside, staff } = env.scenario;
  const { page, blocked } = await env.open('nurse-emergency');
  const recorder = recordResponses(page);
  await signIn(page, env.origin, staff.nurse);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Emergency' })
    .click();
  await page
    .getByRole('heading', { name: 'Emergency access', level: 1 })
    .waitFor();
  await env.a11y(page, 'emergency page (nurse)');
  await env.shot(page, '09-nurse-emergency-page');

  // The ward gives the nurse a link to a patient outside her care team.
  await page.goto(`${env.origin}/patients/${outside.id}`);
  await page
    .getByRole('heading', { name: /not on this patient.s care team/ })
    .waitFor();
  await env.a11y(page, 'refused page (nurse)');
  await page.getByRole('button', { name: 'Request emergency access' }).click();
  await fillEmergencyRequest(page);
  await page.getByText(/^\d+ \/ 1000 characters$/).waitFor();
  await env.a11y(page, 'emergency request form (nurse)');
  await env.shot(page, '10-nurse-emergency-request');

  await page.getByRole('button', { name: 'Request emergency access' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Confirm emergency access',
  });
  const text = await dialog.textContent();
  assert.match(text, /logged/);
  assert.match(text, /administrators are told at once and will review it/);
  await env.shot(page, '11-nurse-emergency-confirm');
  await dialog.getByRole('button', { name: 'Open the record' }).click();

  await page.locator('dt:text-is("MRN")').waitFor();
  const banner = page.getByRole('region', { name: 'Emergency access' });
  await banner.getByRole('timer').waitFor();
  assert.match(
    await banner.textContent(),
    new RegExp(`patient ${outside.id} is active`),
  );
  assert.equal(await page.locator('dt:text-is("SSN")').count(), 0);
  await env.a11y(page, 'chart under emergency access (nurse)');
  await env.shot(page, '12-nurse-emergency-banner');

  await recorder.settle();
  assertNoSsn(recorder.bodies, outside.ssn, 'the nurse under emergency access');
  assert.deepEqual(blocked, [], 'no request left the test server');
  env.nurseGrantPatient = outside.id;
}
