import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { stubEventStream } from '../../test/event-stream-stub';
import { users } from '../../test/fixtures';
import { createMockApi } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

function auditRow(id, changes = {}) {
  return {
    id,
    timestamp: '2026-12-01T09:30:00Z',
    user_id: 7,
    role: 'doctor',
    action: 'patient.view',
    resource: 'patient',
    patient_id: 42,
    record_id: null,
    outcome: 'denied',
    reason_code: 'not_on_care_team',
    emergency_use: false,
    fields_released: [],
    fields_withheld: [],
    request_id: `req-${id}`,
    hash: 'ab12',
    ...changes,
  };
}

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin);
});

describe('live audit view', () => {
  it('follows the feed with the bearer token and shows new rows first', async () => {
    const { fetchStub, send } = stubEventStream();
    renderApp('/admin/live-audit');

    expect(await screen.findByText('Live updates on')).toBeInTheDocument();
    expect(fetchStub.mock.calls[0][0]).toBe('/api/audit/events');
    expect(fetchStub.mock.calls[0][1].headers.Authorization).toBe(
      'Bearer token-admin',
    );

    send('audit', auditRow(1));
    send(
      'audit',
      auditRow(2, { action: 'auth.login_failed', outcome: 'failed' }),
    );

    const table = screen.getByRole('table', { name: 'Live audit rows' });
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(3),
    );
    const [, newest, older] = within(table).getAllByRole('row');
    expect(newest).toHaveTextContent('auth.login_failed');
    expect(older).toHaveTextContent('not on care team');
  });

  it('asks the server for the chosen filters and starts over', async () => {
    const { fetchStub, send } = stubEventStream();
    const { user } = renderApp('/admin/live-audit');
    await screen.findByText('Live updates on');
    send('audit', auditRow(1, { outcome: 'allowed' }));
    await screen.findByText('patient.view');

    await user.type(screen.getByLabelText('Patient number'), '42');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() =>
      expect(fetchStub.mock.calls.at(-1)[0]).toBe(
        '/api/audit/events?patient_id=42',
      ),
    );
    expect(fetchStub.mock.calls[0][1].signal.aborted).toBe(true);
    expect(
      screen.getByText('Waiting for audit rows that match these filters.'),
    ).toBeInTheDocument();
  });

  it('tells the administrator how many rows the view missed', async () => {
    const { send } = stubEventStream();
    renderApp('/admin/live-audit');
    await screen.findByText('Live updates on');

    send('lagged', '12');
    send('lagged', '3');

    expect(
      await screen.findByText(
        /15 rows were written while this view fell behind/,
      ),
    ).toBeInTheDocument();
  });

  it('closes the feed while paused and opens it again on resume', async () => {
    const { fetchStub } = stubEventStream();
    const { user } = renderApp('/admin/live-audit');
    await screen.findByText('Live updates on');

    await user.click(screen.getByRole('button', { name: 'Pause' }));

    expect(await screen.findByText('Live updates paused')).toBeInTheDocument();
    expect(fetchStub.mock.calls[0][1].signal.aborted).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Resume' }));

    expect(await screen.findByText('Live updates on')).toBeInTheDocument();
    expect(fetchStub).toHaveBeenCalledTimes(2);
  });

  it('says when the server has no live feed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('', { status: 404 })),
    );

    renderApp('/admin/live-audit');

    expect(
      await screen.findByText(/The live audit feed is not available/),
    ).toBeInTheDocument();
  });
});
