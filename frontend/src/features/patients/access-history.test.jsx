import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { patientForDoctor, patientForNurse, users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { fillIn, renderApp, signedInAs } from '../../test/render-app';

const report = page([
  {
    kind: 'access',
    at: '2026-12-01T09:30:00.000000Z',
    audit_id: 90,
    user_id: 2,
    user_name: 'Florence Nightingale',
    role: 'nurse',
    action: 'record.list',
    outcome: 'allowed',
    purpose_of_use: 'ETREAT',
    emergency_access_id: 5,
  },
  {
    kind: 'disclosure',
    at: '2026-11-20',
    disclosure_id: 3,
    user_id: 1,
    user_name: 'Dr Grace Hopper',
    role: 'doctor',
    recipient: 'County public health office',
    purpose: 'Notifiable disease report',
    description: 'Lab result',
  },
]);

let api;

beforeEach(() => {
  api = createMockApi().install();
});

async function openAccessTab(user) {
  await user.click(await screen.findByRole('tab', { name: 'Access history' }));
  return screen.findByRole('table', { name: 'Access history' });
}

describe('access history', () => {
  it('shows a doctor who accessed the chart, under emergency access too, and disclosures', async () => {
    signedInAs(api, users.doctor)
      .on('GET', '/api/patients/42', [200, patientForDoctor])
      .on('GET', '/api/patients/42/access-report', [200, report]);
    const { user } = renderApp('/patients/42');

    const table = within(await openAccessTab(user));

    const access = await table.findByRole('row', {
      name: /Florence Nightingale \(Nurse\)/,
    });
    expect(access).toHaveTextContent(/Emergency treatment/);
    expect(access).toHaveTextContent(/Emergency/);
    const disclosure = table.getByRole('row', {
      name: /County public health office/,
    });
    expect(disclosure).toHaveTextContent(/Notifiable disease report/);
    expect(disclosure).toHaveTextContent(/Nov 20, 2026/);
    expect(disclosure).toHaveTextContent(/Recorded by Dr Grace Hopper/);
  });

  it('has no access history tab for a nurse', async () => {
    signedInAs(api, users.nurse).on('GET', '/api/patients/42', [
      200,
      patientForNurse,
    ]);

    renderApp('/patients/42');

    await screen.findByRole('tab', { name: 'Records' });
    expect(
      screen.queryByRole('tab', { name: 'Access history' }),
    ).not.toBeInTheDocument();
  });

  it('validates and records a disclosure', async () => {
    signedInAs(api, users.doctor)
      .on('GET', '/api/patients/42', [200, patientForDoctor])
      .on('GET', '/api/patients/42/access-report', [200, report])
      .on('POST', '/api/patients/42/disclosures', [201, { id: 1 }]);
    const { user } = renderApp('/patients/42');
    await openAccessTab(user);

    await user.click(
      screen.getByRole('button', { name: 'Record a disclosure' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Record a disclosure' }),
    );
    const date = dialog.getByLabelText(/Date of disclosure/);
    await user.clear(date);
    await fillIn(user, date, '2999-01-01');
    await user.click(dialog.getByRole('button', { name: 'Record disclosure' }));
    expect(
      await dialog.findByText('Enter who received the information.'),
    ).toBeInTheDocument();
    expect(
      dialog.getByText('Describe what was disclosed.'),
    ).toBeInTheDocument();
    expect(
      dialog.getByText('Enter a real date (YYYY-MM-DD), today or earlier.'),
    ).toBeInTheDocument();

    await fillIn(user, dialog.getByLabelText(/^Recipient/), 'State court');
    await fillIn(user, dialog.getByLabelText(/^Purpose/), 'Subpoena 12-345');
    await fillIn(
      user,
      dialog.getByLabelText(/^What was disclosed/),
      'Discharge summary',
    );
    await user.clear(date);
    await fillIn(user, date, '2026-11-30');
    await user.click(dialog.getByRole('button', { name: 'Record disclosure' }));

    expect(await screen.findByText('Disclosure recorded.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients/42/disclosures')[0].body).toEqual({
      recipient: 'State court',
      purpose: 'Subpoena 12-345',
      disclosed_at: '2026-11-30',
      description: 'Discharge summary',
    });
  });
});
