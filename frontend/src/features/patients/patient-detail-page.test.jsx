import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  patientForDoctor,
  patientForNurse,
  plainRecord,
  restrictedRecordForNurse,
  users,
} from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
});

function details() {
  return screen.getByRole('tabpanel');
}

function valueOf(label) {
  const term = within(details()).getByText(label, { selector: 'dt' });
  return term.nextElementSibling.textContent;
}

describe('patient detail', () => {
  it('shows a doctor the full SSN with the demographics', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients/42', [
      200,
      patientForDoctor,
    ]);

    renderApp('/patients/42');

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
    expect(valueOf('SSN')).toBe('123-45-6789');
    expect(valueOf('MRN')).toBe('MRN-0042');
    expect(valueOf('Phone')).toBe('555-0100');
    expect(valueOf('Emergency contact')).toBe('Sam Dickinson, 555-0199');
    expect(api.calls('GET', '/api/patients/42')[0].authorization).toBe(
      'Bearer token-doctor',
    );
  });

  it('shows a nurse no SSN row at all when the server sent no ssn key', async () => {
    signedInAs(api, users.nurse).on('GET', '/api/patients/42', [
      200,
      patientForNurse,
    ]);

    renderApp('/patients/42');

    await screen.findByRole('heading', { name: 'Alva Dickinson' });
    expect(valueOf('Address')).toBe('12 Elm Street, Springfield');
    expect(within(details()).queryByText('SSN')).not.toBeInTheDocument();
    expect(screen.queryByText(/SSN/)).not.toBeInTheDocument();
    expect(screen.queryByText(/6789/)).not.toBeInTheDocument();
  });

  it('offers a nurse only the contact fields to edit', async () => {
    signedInAs(api, users.nurse).on('GET', '/api/patients/42', [
      200,
      patientForNurse,
    ]);
    const { user } = renderApp('/patients/42');

    await user.click(await screen.findByRole('button', { name: 'Edit' }));

    const dialog = await screen.findByRole('dialog', {
      name: 'Edit demographics',
    });
    expect(within(dialog).getByLabelText('Phone')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Address')).toBeInTheDocument();
    expect(
      within(dialog).getByLabelText('Emergency contact'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByLabelText(/first name/i),
    ).not.toBeInTheDocument();
    expect(
      within(dialog).queryByLabelText(/date of birth/i),
    ).not.toBeInTheDocument();
  });

  it('sends only the changed contact field when a nurse saves', async () => {
    signedInAs(api, users.nurse)
      .on('GET', '/api/patients/42', [200, patientForNurse])
      .on('PUT', '/api/patients/42', [
        200,
        { ...patientForNurse, phone: '555-0111' },
      ]);
    const { user } = renderApp('/patients/42');
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const phone = within(await screen.findByRole('dialog')).getByLabelText(
      'Phone',
    );

    await user.clear(phone);
    await user.type(phone, '555-0111');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await screen.findByRole('heading', { name: 'Alva Dickinson' });
    await expect
      .poll(() => api.calls('PUT', '/api/patients/42').length)
      .toBe(1);
    expect(api.calls('PUT', '/api/patients/42')[0].body).toEqual({
      phone: '555-0111',
    });
  });

  it('marks a restricted record and withholds its diagnosis', async () => {
    signedInAs(api, users.nurse)
      .on('GET', '/api/patients/42', [200, patientForNurse])
      .on('GET', '/api/patients/42/records', [
        200,
        page([plainRecord, restrictedRecordForNurse]),
      ]);
    const { user } = renderApp('/patients/42');

    await user.click(await screen.findByRole('tab', { name: 'Records' }));

    const list = await screen.findByRole('list', { name: 'Medical records' });
    const [restricted, plain] = within(list).getAllByRole('listitem');
    expect(within(restricted).getByText('Restricted')).toBeInTheDocument();
    expect(
      within(restricted).getByText(/details withheld for your role/i),
    ).toBeInTheDocument();
    expect(within(restricted).queryByText('Diagnosis')).not.toBeInTheDocument();
    expect(within(restricted).queryByText('Notes')).not.toBeInTheDocument();
    expect(
      within(restricted).getByText('Referred to specialist'),
    ).toBeInTheDocument();
    expect(within(plain).getByText('Seasonal influenza')).toBeInTheDocument();
    expect(within(plain).queryByText('Restricted')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Add record' }),
    ).not.toBeInTheDocument();
  });

  it('explains a refusal in plain words when the clinician is not on the care team', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients/99', [
      403,
      errorBody('forbidden', 'not permitted', 'req-403'),
    ]);

    renderApp('/patients/99');

    expect(
      await screen.findByRole('heading', {
        name: 'You are not on this patient’s care team',
      }),
    ).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('not permitted');
  });

  it('says the patient was not found on 404', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients/77', [
      404,
      errorBody('not_found'),
    ]);

    renderApp('/patients/77');

    expect(
      await screen.findByRole('heading', { name: 'Patient not found' }),
    ).toBeInTheDocument();
  });
});
