import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { stubEventStream } from '../../test/event-stream-stub';
import { grant, users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { fillIn, renderApp, signedInAs } from '../../test/render-app';

let api;

const waiting = grant({ id: 5, patient_id: 99 });

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin).on('GET', '/api/admin/users', [
    200,
    page([users.admin, users.doctor, users.nurse]),
  ]);
});

describe('emergency review queue', () => {
  it('lists grants awaiting review with the clinician by name and the patient by number', async () => {
    stubEventStream();
    api.on('GET', '/api/emergency/grants', [200, page([waiting])]);

    renderApp('/admin/emergency');

    const table = await screen.findByRole('table', {
      name: 'Emergency grants',
    });
    const row = await within(table).findByRole('row', {
      name: /Florence Nightingale/,
    });
    expect(row).toHaveTextContent('99');
    expect(row).toHaveTextContent('Emergency treatment');
    expect(row).toHaveTextContent('Awaiting review');
    expect(api.calls('GET', '/api/emergency/grants')[0].query).toMatchObject({
      status: 'unreviewed',
    });
  });

  it('records a review with its outcome and note', async () => {
    stubEventStream();
    api
      .on('GET', '/api/emergency/grants', [200, page([waiting])])
      .on('POST', '/api/emergency/:id/review', [
        200,
        { ...waiting, review_outcome: 'justified', reviewed_at: 'now' },
      ]);
    const { user } = renderApp('/admin/emergency');

    await user.click(
      await screen.findByRole('button', { name: 'Review grant 5' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Review emergency access',
    });
    expect(dialog).toHaveTextContent(/Unconscious on arrival/);
    await user.click(
      within(dialog).getByRole('button', { name: 'Save review' }),
    );
    expect(
      await within(dialog).findByText('Choose the outcome of the review.'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: /^Justified/ }));
    await fillIn(
      user,
      within(dialog).getByLabelText('Note (optional)'),
      'Confirmed with ward',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Save review' }),
    );

    expect(await screen.findByText('Review saved.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/5/review')[0].body).toEqual({
      outcome: 'justified',
      note: 'Confirmed with ward',
    });
  });

  it('revokes an active grant after confirmation', async () => {
    stubEventStream();
    api
      .on('GET', '/api/emergency/grants', [200, page([waiting])])
      .on('POST', '/api/emergency/:id/revoke', [
        200,
        { ...waiting, status: 'revoked' },
      ]);
    const { user } = renderApp('/admin/emergency');

    await user.click(
      await screen.findByRole('button', { name: 'Revoke grant 5' }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Revoke access' }),
    );

    expect(await screen.findByText(/was revoked/)).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/5/revoke')).toHaveLength(1);
  });

  it('follows the live feed with the bearer token and shows new grants at once', async () => {
    const { fetchStub, send } = stubEventStream();
    let listed = [];
    api.on('GET', '/api/emergency/grants', () => [200, page(listed)]);
    renderApp('/admin/emergency');
    expect(await screen.findByText('Live updates on')).toBeInTheDocument();
    expect(fetchStub.mock.calls[0][0]).toBe('/api/emergency/events');
    expect(fetchStub.mock.calls[0][1].headers.Authorization).toBe(
      'Bearer token-admin',
    );

    const fresh = grant({ id: 8, patient_id: 31 });
    listed = [fresh];
    send('grant', fresh);

    expect(
      await screen.findByText(
        'New emergency access by Florence Nightingale (Nurse) to patient 31.',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Review grant 8' }),
      ).toBeInTheDocument(),
    );
  });

  it('says when the server has no live feed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('', { status: 404 })),
    );
    api.on('GET', '/api/emergency/grants', [200, page([])]);

    renderApp('/admin/emergency');

    expect(
      await screen.findByText('Live updates unavailable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Every emergency access has been reviewed.'),
    ).toBeInTheDocument();
  });
});
