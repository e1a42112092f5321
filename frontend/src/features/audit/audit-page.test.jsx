import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

const row = {
  id: 311,
  timestamp: '2026-12-01T09:30:00Z',
  user_id: 2,
  role: 'nurse',
  action: 'record.view',
  resource: 'record',
  patient_id: 42,
  record_id: 8,
  outcome: 'allowed',
  reason_code: null,
  emergency_use: true,
  purpose_of_use: 'emergency_treatment',
  fields_released: ['treatment', 'severity'],
  fields_withheld: ['diagnosis', 'notes'],
  reason: null,
  ip_address: '127.0.0.1',
  user_agent: 'Chromium',
  request_id: 'req-311',
  hash: 'ab12',
};

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin).on('GET', '/api/audit', [200, page([row])]);
});

function lastListQuery() {
  return api.calls('GET', '/api/audit').at(-1).query;
}

describe('audit viewer', () => {
  it('shows rows newest first and their full details on request', async () => {
    const { user } = renderApp('/admin/audit');

    const table = await screen.findByRole('table', { name: 'Audit trail' });
    expect(await within(table).findByText('record.view')).toBeInTheDocument();
    expect(within(table).getByText('Emergency')).toBeInTheDocument();
    expect(lastListQuery()).toMatchObject({
      sort: 'timestamp',
      order: 'desc',
      page: 1,
    });

    await user.click(
      screen.getByRole('button', { name: 'Details of audit row 311' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Audit row 311' });
    expect(dialog).toHaveTextContent('diagnosis, notes');
    expect(dialog).toHaveTextContent('req-311');
  });

  it('sends the filters and the sort the administrator chose', async () => {
    const { user } = renderApp('/admin/audit');
    await screen.findByText('record.view');

    await user.type(screen.getByLabelText('Patient number'), '42');
    await user.click(screen.getByRole('combobox', { name: 'Outcome' }));
    await user.click(await screen.findByRole('option', { name: 'Denied' }));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(lastListQuery()).toMatchObject({
        patient_id: '42',
        outcome: 'denied',
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Action' }));
    await waitFor(() =>
      expect(lastListQuery()).toMatchObject({
        sort: 'action',
        order: 'desc',
        patient_id: '42',
      }),
    );
  });

  it('refuses a patient number that is not a number', async () => {
    const { user } = renderApp('/admin/audit');
    await screen.findByText('record.view');
    const before = api.calls('GET', '/api/audit').length;

    await user.type(screen.getByLabelText('Patient number'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    expect(
      await screen.findByText(
        'Enter a whole number, like 42, or leave it empty.',
      ),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/audit')).toHaveLength(before);
  });

  it('downloads an export with the current filters', async () => {
    const createObjectURL = vi.fn(() => 'blob:export');
    vi.stubGlobal(
      'URL',
      class extends URL {
        static createObjectURL = createObjectURL;
        static revokeObjectURL = vi.fn();
      },
    );
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    api.on('GET', '/api/audit/export', [200, 'id,action\n']);
    const { user } = renderApp('/admin/audit?outcome=denied');
    await screen.findByText('record.view');

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));

    expect(
      await screen.findByText(/^Saved healthsecure-audit-/),
    ).toBeInTheDocument();
    const [call] = api.calls('GET', '/api/audit/export');
    expect(call.query).toEqual({ outcome: 'denied', format: 'csv' });
    expect(call.authorization).toBe('Bearer token-admin');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ ok: true, rows: 1200, first_bad_id: null }, /intact: 1200 rows checked/],
    [{ ok: false, rows: 1200, first_bad_id: 77 }, /breaks at row 77/],
  ])('shows the result of verifying the chain', async (answer, text) => {
    api.on('GET', '/api/audit/verify', [200, answer]);
    const { user } = renderApp('/admin/audit');
    await screen.findByText('record.view');

    await user.click(screen.getByRole('button', { name: 'Verify chain' }));

    expect(await screen.findByText(text)).toBeInTheDocument();
  });

  it('says so when the server has no audit viewer yet', async () => {
    api.on('GET', '/api/audit', [404, errorBody('not_found')]);

    renderApp('/admin/audit');

    expect(
      await screen.findByText(
        'The audit viewer is not available on this server yet.',
      ),
    ).toBeInTheDocument();
  });
});
