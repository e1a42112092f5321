import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin)
    .on('GET', '/api/admin/users', [
      200,
      page([users.admin, users.doctor, users.nurse]),
    ])
    .on('GET', '/api/admin/patients/lookup', (request) =>
      request.query.mrn === 'MRN-0042'
        ? [200, { id: 42 }]
        : [404, errorBody('not_found')],
    );
});

async function chooseClinicianAndPatient(user, mrn = 'MRN-0042') {
  await user.click(await screen.findByRole('combobox', { name: 'Clinician' }));
  await user.click(
    await screen.findByRole('option', { name: /Dr Grace Hopper/ }),
  );
  await user.type(screen.getByRole('textbox', { name: 'Patient MRN' }), mrn);
  await user.click(screen.getByRole('button', { name: 'Find patient' }));
}

describe('care team page', () => {
  it('offers only clinicians', async () => {
    const { user } = renderApp('/admin/care-teams');

    await user.click(
      await screen.findByRole('combobox', { name: 'Clinician' }),
    );

    expect(
      await screen.findByRole('option', { name: /Florence Nightingale/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('option', { name: /Ada Admin/ }),
    ).not.toBeInTheDocument();
  });

  it('finds the patient by MRN and assigns the clinician by ids', async () => {
    api.on('POST', '/api/admin/care-team', [201, {}]);
    const { user } = renderApp('/admin/care-teams');

    await chooseClinicianAndPatient(user);
    expect(await screen.findByText(/patient number 42/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add to care team' }));

    expect(
      await screen.findByText(
        'Dr Grace Hopper is now on the care team of patient MRN-0042.',
      ),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/care-team')[0].body).toEqual({
      user_id: 1,
      patient_id: 42,
    });
  });

  it('removes the clinician with DELETE and the same ids', async () => {
    api.on('DELETE', '/api/admin/care-team', [204]);
    const { user } = renderApp('/admin/care-teams');

    await chooseClinicianAndPatient(user);
    await screen.findByText(/patient number 42/);
    await user.click(
      screen.getByRole('button', { name: 'Remove from care team' }),
    );

    expect(
      await screen.findByText(/is no longer on the care team/),
    ).toBeInTheDocument();
    expect(api.calls('DELETE', '/api/admin/care-team')[0].body).toEqual({
      user_id: 1,
      patient_id: 42,
    });
  });

  it('says so when no patient has the MRN, and keeps the buttons disabled', async () => {
    const { user } = renderApp('/admin/care-teams');

    await chooseClinicianAndPatient(user, 'MRN-404');

    expect(
      await screen.findByText('No patient has this MRN.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add to care team' }),
    ).toBeDisabled();
  });

  it('accepts the long MRNs of imported Synthea patients', async () => {
    const mrn = '742fc10a-c565-f636-3c05-5dcd28672194';
    api.on('GET', '/api/admin/patients/lookup', [200, { id: 1 }]);
    const { user } = renderApp('/admin/care-teams');

    await chooseClinicianAndPatient(user, mrn);

    expect(
      await screen.findByText(
        `Patient with MRN ${mrn} found (patient number 1).`,
      ),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/admin/patients/lookup')[0].query).toEqual({
      mrn,
    });
  });
});
