/**
 * An administrator's day: create a staff account, put a patient on the new
 * clinician's care team by MRN, review the nurse's emergency access while a
 * new one arrives live and revoke it, check the audit trail, and watch
 * failed sign-ins arrive in the live audit view.
 */
import assert from 'node:assert/strict';

import { ApiSession } from '../lib/api.js';
import { choose, signIn } from '../lib/browser.js';

import { JUSTIFICATION } from './break-glass.js';

const NEW_USER = {
  name: 'Riley Resident',
  email: 'riley.resident@e2e.test',
  password: 'Resident-e2e-password-1',
};

async function nav(page, label) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page
    .getByRole('heading', { level: 1, name: label, exact: true })
    .waitFor();
}

async function createUser(env, page) {
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel(/^Full name/).fill(NEW_USER.name);
  await dialog.getByLabel(/^Email address/).fill(NEW_USER.email);
  await choose(page, dialog, /^Role/, 'Doctor');
  await dialog.getByLabel(/^Initial password/).fill(NEW_USER.password);
  await env.a11y(page, 'new user dialog');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await page.getByText(`Account created for ${NEW_USER.email}.`).waitFor();
  await page.getByRole('cell', { name: NEW_USER.name, exact: true }).waitFor();

  // The new doctor forgot the password: the administrator sets another.
  await page
    .getByRole('button', { name: `Reset password for ${NEW_USER.name}` })
    .click();
  const reset = page.getByRole('dialog', { name: /^Reset the password of/ });
  NEW_USER.password = 'Resident-e2e-password-2';
  await reset.getByLabel(/^New password/).fill(NEW_USER.password);
  await reset.getByLabel(/^Repeat the new password/).fill(NEW_USER.password);
  await reset
    .getByLabel('Ask for a new password at the next sign-in')
    .uncheck();
  await env.a11y(page, 'reset password dialog');
  await reset.getByRole('button', { name: 'Reset password' }).click();
  await page.getByText(`The password of ${NEW_USER.name} was reset.`).waitFor();
  await env.shot(page, '13-admin-users');
}

async function assignPatient(env, page) {
  const patient = env.scenario.spare[0];
  await nav(page, 'Care teams');
  await env.a11y(page, 'care teams');
  await page.getByLabel(/^Clinician/).fill('Riley');
  await page.getByRole('option', { name: new RegExp(NEW_USER.name) }).click();
  await page.getByLabel(/^Patient MRN/).fill(patient.mrn);
  await page.getByRole('button', { name: 'Find patient' }).click();
  await page.getByText(`Patient with MRN ${patient.mrn} found`).waitFor();
  await page.getByRole('button', { name: 'Add to care team' }).click();
  await page
    .getByText(
      `${NEW_USER.name} is now on the care team of patient ${patient.mrn}.`,
    )
    .waitFor();
  await env.shot(page, '14-admin-care-team');

  const resident = await ApiSession.signIn(
    env.origin,
    NEW_USER.email,
    NEW_USER.password,
  );
  const list = await resident.ok('GET', '/patients?page=1&page_size=25');
  assert.deepEqual(
    list.items.map((item) => item.id),
    [patient.id],
    'the new doctor sees exactly the assigned patient',
  );
}

async function reviewGrants(env, page) {
  const { api, spare, staff } = env.scenario;
  await nav(page, 'Emergency review');
  await page.getByText('Live updates on').waitFor();
  const nurseRow = page
    .getByRole('row')
    .filter({ hasText: staff.nurse.name })
    .filter({ hasText: String(env.nurseGrantPatient) });
  await nurseRow.first().waitFor();
  await env.a11y(page, 'emergency review queue');

  // A second grant arrives while the page is open: the live feed shows it.
  const requested = await api.doctor.ok('POST', '/emergency/request', {
    patient_id: spare[1].id,
    reason_category: 'urgent_medication_reconciliation',
    reason: JUSTIFICATION,
  });
  await api.doctor.ok('POST', `/emergency/activate/${requested.access_token}`);
  await page
    .getByText(
      `New emergency access by ${staff.doctor.name} (Doctor) to patient ${spare[1].id}.`,
    )
    .waitFor();

  await nurseRow
    .first()
    .getByRole('button', { name: /^Review grant/ })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Review emergency access' });
  await dialog.getByRole('radio', { name: /^Justified/ }).check();
  await dialog.getByLabel(/^Note/).fill('Confirmed with the charge nurse.');
  await env.a11y(page, 'review dialog');
  await env.shot(page, '15-admin-review-dialog');
  await dialog.getByRole('button', { name: 'Save review' }).click();
  await page.getByText('Review saved.').waitFor();

  await page.getByRole('tab', { name: 'Active now' }).click();
  await page
    .getByRole('button', { name: `Revoke grant ${requested.id}` })
    .click();
  await page.getByRole('button', { name: 'Revoke access' }).click();
  await page.getByText(/was revoked/).waitFor();
  await page.getByRole('tab', { name: 'All grants' }).click();
  await page.getByRole('row').filter({ hasText: 'Revoked' }).first().waitFor();
  await env.shot(page, '16-admin-emergency-review');
}

async function checkAudit(env, page, t) {
  await nav(page, 'Audit');
  const probe = await env.scenario.api.admin.call(
    'GET',
    '/audit?page=1&page_size=1',
  );
  if (probe.status === 404) {
    await page
      .getByText('The audit viewer is not available on this server yet.')
      .waitFor();
    await env.a11y(page, 'audit viewer (not yet available)');
    t.diagnostic(
      'SKIPPED: the server has no audit API yet; only the page was checked',
    );
    return;
  }
  const table = page.getByRole('table', { name: 'Audit trail' });
  await table.getByRole('row').nth(1).waitFor();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await page.getByText(/The audit trail is intact/).waitFor({ timeout: 60000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  assert.match((await download).suggestedFilename(), /\.csv$/);
  await page.getByText(/^Saved .*\.csv\.$/).waitFor();
  await env.a11y(page, 'audit viewer');
  await env.shot(page, '17-admin-audit');
}

/**
 * The live view narrowed to failed sign-ins: a denial written first stays
 * out, the failed sign-in appears while the page is open.
 */
async function watchLive(env, page) {
  await nav(page, 'Live audit');
  await page.getByText('Live updates on').waitFor();
  const action = page.getByRole('combobox', { name: 'Action' });
  await action.fill('auth.login_failed');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/action=auth\.login_failed/);
  await page.getByText('Live updates on').waitFor();

  const refused = await env.scenario.api.admin.call('GET', '/patients');
  assert.equal(refused.status, 403, 'an administrator gets no patient list');
  const failed = await fetch(`${env.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: env.scenario.staff.nurse.email,
      password: 'not the nurse password',
    }),
  });
  assert.equal(failed.status, 401);

  const table = page.getByRole('table', { name: 'Live audit rows' });
  await table
    .getByRole('row')
    .filter({ hasText: 'auth.login_failed' })
    .waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'one row, no denial');
  await env.a11y(page, 'live audit');
  await env.shot(page, '18-admin-live-audit');
}

export async function adminDay(env, t) {
  const { page, blocked } = await env.open('admin');
  // A failing step is photographed before the next one starts.
  const step = (name, run) =>
    t.test(name, async (sub) => {
      try {
        await run(sub);
      } catch (error) {
        await env.shot(page, `failed-admin-${name.replace(/\W+/g, '-')}`);
        throw error;
      }
    });
  await signIn(page, env.origin, env.scenario.staff.admin);
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await env.a11y(page, 'users');
  await step('creates a staff account', () => createUser(env, page));
  await step('assigns a patient by MRN', () => assignPatient(env, page));
  await step('reviews emergency access', async (sub) => {
    if (!env.nurseGrantPatient) {
      await nav(page, 'Emergency review');
      await env.a11y(page, 'emergency review (not yet available)');
      sub.skip(
        'SKIPPED: no emergency grant to review (the break-glass API is absent)',
      );
      return;
    }
    await reviewGrants(env, page);
  });
  await step('checks the audit trail', (sub) => checkAudit(env, page, sub));
  await step('watches failed sign-ins live', () => watchLive(env, page));
  assert.deepEqual(blocked, [], 'no request left the test server');
}
