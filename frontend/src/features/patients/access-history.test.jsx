import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { patientForDoctor, patientForNurse, users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

const report = page([
  {
    kind: 'access',
    timestamp: '2026-12-01T09:30:00Z',
    user_id: 2,
    role: 'nurse',
    action: 'record.list',
    outcome: 'allowed',
    purpose_of_use: 'emergency_treatment',
    emergency_access_id: 5,
  },
  {
    kind: 'disclosure',
    timestamp: '2026-11-20T00:00:00Z',
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

    expect(
      await table.findByRole('row', { name: /User 2 \(Nurse\)/ }),
    ).toHaveTextContent(/Emergency/);
    expect(
      table.getByRole('row', { name: /County public health office/ }),
    ).toHaveTextContent(/Notifiable disease report/);
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
    await user.type(date, '2999-01-01');
    await user.click(dialog.getByRole('button', { name: 'Record disclosure' }));
    expect(
      await dialog.findByText('Enter who received the information.'),
    ).toBeInTheDocument();
    expect(
      dialog.getByText('Enter a real date (YYYY-MM-DD), today or earlier.'),
    ).toBeInTheDocument();

    await user.type(dialog.getByLabelText(/^Recipient/), 'State court');
    await user.type(dialog.getByLabelText(/^Purpose/), 'Subpoena 12-345');
    await user.clear(date);
    await user.type(date, '2026-11-30');
    await user.click(dialog.getByRole('button', { name: 'Record disclosure' }));

    expect(await screen.findByText('Disclosure recorded.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients/42/disclosures')[0].body).toEqual({
      recipient: 'State court',
      purpose: 'Subpoena 12-345',
      disclosed_at: '2026-11-30',
    });
  });
});
