/**
 * A doctor's day: sign in, find a patient by name, read the chart (the
 * full SSN is shown to doctors), add a record, look at the access history.
 */
import assert from 'node:assert/strict';

import { choose } from '../lib/browser.js';

function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const box = element.getBoundingClientRect();
    return {
      name: element.getAttribute('name'),
      text: element.textContent,
      top: box.top,
      outline: getComputedStyle(element).outlineStyle,
    };
  });
}

/** Tab to each field, type, Enter: no mouse needed to sign in. */
async function signInWithKeyboard(page, person) {
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'email');
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'password');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** The first Tab shows the skip link; the next outlines the first section. */
async function checkVisibleFocus(page) {
  await page.keyboard.press('Tab');
  const skip = await focused(page);
  assert.equal(skip.text, 'Skip to main content');
  assert.ok(skip.top >= 0, 'the skip link comes into view when focused');
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.text, 'Patients');
  assert.equal(first.outline, 'solid', 'keyboard focus is outlined');
}

export async function doctorDay(env) {
  const { chart, staff } = env.scenario;
  const { page, blocked } = await env.open('doctor');
  await page.goto(`${env.origin}/sign-in`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await env.a11y(page, 'sign-in page');
  await env.shot(page, '01-sign-in');

  await signInWithKeyboard(page, staff.doctor);
  await checkVisibleFocus(page);
  const table = page.getByRole('table', { name: 'Patients' });
  await table.getByRole('row').nth(8).waitFor();
  await env.a11y(page, 'patient list (doctor)');
  await env.shot(page, '02-doctor-patient-list');

  await page.getByLabel('Search patients').fill(chart.lastName);
  await page.waitForURL(/[?&]q=/);
  // Two patients may share a last name; the first name picks the row.
  const link = table
    .getByRole('row')
    .filter({ hasText: chart.firstName })
    .getByRole('link', { name: chart.lastName });
  await link.waitFor();
  await link.click();

  const name = `${chart.firstName} ${chart.lastName}`;
  await page.getByRole('heading', { level: 1, name }).waitFor();
  const ssn = (
    await page.locator('dt:text-is("SSN") + dd').textContent()
  ).trim();
  assert.match(ssn, /^\d{3}-\d{2}-\d{4}$/, 'the doctor sees the full SSN');
  env.ssnByPatient.set(chart.id, ssn);
  await env.a11y(page, 'patient demographics (doctor)');
  await env.shot(page, '03-doctor-patient-demographics');

  await page.getByRole('tab', { name: 'Records' }).click();
  const records = page.getByRole('list', { name: 'Medical records' });
  await records.getByRole('listitem').first().waitFor();
  await page.getByRole('button', { name: 'Add record' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add record' });
  await choose(page, dialog, /^Record type/, 'Encounter');
  const diagnosis = `Follow-up visit ${Date.now()}: blood pressure controlled`;
  await dialog.getByLabel(/^Diagnosis/).fill(diagnosis);
  await choose(page, dialog, /^Severity/, 'Low');
  await dialog.getByLabel(/^Treatment/).fill('Continue lisinopril 10 mg');
  await dialog.getByRole('button', { name: 'Add record' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await records.getByText(diagnosis).waitFor();
  await env.a11y(page, 'records timeline (doctor)');
  await env.shot(page, '04-doctor-record-added', { fullPage: false });

  await page.getByRole('tab', { name: 'Access history' }).click();
  await page.getByRole('heading', { name: 'Access history' }).waitFor();
  await page
    .getByRole('progressbar', { name: 'Loading access history' })
    .waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Record a disclosure' }).click();
  const disclosure = page.getByRole('dialog', { name: 'Record a disclosure' });
  await disclosure.getByLabel(/^Recipient/).fill('County public health office');
  await disclosure.getByLabel(/^Purpose/).fill('Notifiable disease report');
  await disclosure
    .getByLabel(/^What was disclosed/)
    .fill('Laboratory result of the last visit');
  await env.a11y(page, 'disclosure dialog (doctor)');
  await disclosure.getByRole('button', { name: 'Record disclosure' }).click();
  await page.getByText('Disclosure recorded.').waitFor();
  await page
    .getByRole('row')
    .filter({ hasText: 'County public health office' })
    .waitFor();
  await env.a11y(page, 'access history (doctor)');
  await env.shot(page, '05-doctor-access-history');

  assert.deepEqual(blocked, [], 'no request left the test server');
}
