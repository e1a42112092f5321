import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  listPatientForDoctor,
  patientForNurse,
  users,
} from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
});

function lastListCall() {
  const calls = api.calls('GET', '/api/patients');
  return calls[calls.length - 1];
}

async function patientTable() {
  const table = await screen.findByRole('table', { name: 'Patients' });
  await within(table).findByText('MRN-0042');
  return within(table);
}

describe('patient list', () => {
  it('shows a doctor the masked SSN column', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients', [
      200,
      page([listPatientForDoctor], { total: 1 }),
    ]);

    renderApp('/patients');

    const table = await patientTable();
    expect(
      table.getByRole('columnheader', { name: 'SSN' }),
    ).toBeInTheDocument();
    expect(table.getByText('***-**-6789')).toBeInTheDocument();
    expect(table.getByText('Dickinson')).toBeInTheDocument();
    expect(lastListCall().query).toEqual({
      page: 1,
      page_size: 25,
      sort: 'last_name',
      order: 'asc',
    });
  });

  it('shows a nurse no SSN column', async () => {
    signedInAs(api, users.nurse).on('GET', '/api/patients', [
      200,
      page([patientForNurse]),
    ]);

    renderApp('/patients');

    const table = await patientTable();
    expect(
      table.queryByRole('columnheader', { name: 'SSN' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'New patient' }),
    ).not.toBeInTheDocument();
  });

  it('searches once typing settles, sorts by column and changes page size', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients', [
      200,
      page([listPatientForDoctor], { total: 60 }),
    ]);
    const { user } = renderApp('/patients');
    await patientTable();

    await user.type(
      screen.getByRole('searchbox', { name: 'Search patients' }),
      'alva',
    );
    await expect
      .poll(() => lastListCall().query.q, { timeout: 2000 })
      .toBe('alva');
    expect(
      api.calls('GET', '/api/patients').filter((c) => c.query.q),
    ).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Date of birth' }));
    await expect.poll(() => lastListCall().query.sort).toBe('date_of_birth');
    expect(lastListCall().query.order).toBe('asc');

    await user.click(screen.getByRole('combobox', { name: /rows per page/i }));
    await user.click(await screen.findByRole('option', { name: '50' }));
    await expect.poll(() => lastListCall().query.page_size).toBe(50);
    expect(lastListCall().query).toMatchObject({ q: 'alva', page: 1 });
  });

  it('opens the patient when a row is clicked', async () => {
    signedInAs(api, users.nurse)
      .on('GET', '/api/patients', [200, page([patientForNurse])])
      .on('GET', '/api/patients/42', [200, patientForNurse]);
    const { user } = renderApp('/patients');
    const table = await patientTable();

    await user.click(table.getByText('MRN-0042'));

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
  });

  it('clears the search when the Patients link is followed', async () => {
    signedInAs(api, users.doctor).on('GET', '/api/patients', [
      200,
      page([listPatientForDoctor]),
    ]);
    const { user } = renderApp(
      '/patients?q=alva&page=1&page_size=25&sort=mrn&order=desc',
    );
    await patientTable();
    const search = screen.getByRole('searchbox', { name: 'Search patients' });
    expect(search).toHaveValue('alva');
    expect(lastListCall().query).toMatchObject({
      q: 'alva',
      sort: 'mrn',
      order: 'desc',
    });

    await user.click(screen.getByRole('link', { name: 'Patients' }));

    await expect.poll(() => lastListCall().query.q).toBeUndefined();
    expect(search).toHaveValue('');
  });
});
