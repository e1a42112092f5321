/**
 * A doctor turns on two-step sign-in from the web app: scans (here: reads)
 * the QR code's secret, confirms with a code the test computes, sees the
 * recovery codes once, then signs in again with a code and with a recovery
 * code.
 */
import assert from 'node:assert/strict';

import { signIn } from '../lib/browser.js';
import { nextCode } from '../lib/totp.js';

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

async function passwordStep(page, origin, person) {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function mfaEnrolment(env) {
  const doctor = env.scenario.staff.doctor;
  const { page } = await env.open('mfa-doctor');
  await signIn(page, env.origin, doctor);

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Sign-in security' })
    .click();
  await page
    .getByRole('heading', { level: 1, name: 'Sign-in security' })
    .waitFor();
  await env.a11y(page, 'sign-in security');
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();

  const qr = page.getByRole('img', {
    name: 'QR code for your authenticator app',
  });
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;base64,/);
  const shown = await page.getByTestId('mfa-secret').textContent();
  doctor.totpSecret = shown.replace(/\s+/g, '');
  await env.a11y(page, 'authenticator set-up');
  await env.shot(page, '20-mfa-setup');

  await page.getByLabel('Code from the app').fill(await nextCode(doctor));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const codes = await list.getByRole('listitem').allTextContents();
  assert.equal(codes.length, 10);
  await env.a11y(page, 'recovery codes');
  await env.shot(page, '21-mfa-recovery-codes');
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await page.getByText('Two-step sign-in is on.').waitFor();
  await signOut(page);

  // The password alone no longer signs in: a wrong code is refused, the
  // right one accepted.
  await passwordStep(page, env.origin, doctor);
  const field = page.getByLabel('Authentication code');
  await field.waitFor();
  await env.a11y(page, 'code prompt');
  await env.shot(page, '22-mfa-code-prompt');
  await field.fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText(/That code was not accepted/).waitFor();
  await field.fill(await nextCode(doctor));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await signOut(page);

  // A recovery code signs in once.
  await passwordStep(page, env.origin, doctor);
  await page
    .getByRole('button', { name: 'Use a recovery code instead' })
    .click();
  await page.getByLabel('Recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
