import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { getAccessToken } from '../../lib/api-client';
import { loginBody, users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp } from '../../test/render-app';

let api;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  api = createMockApi().install();
  api
    .on('GET', '/api/patients', [200, page([])])
    .on('POST', '/api/auth/logout', [204]);
});

afterEach(() => {
  vi.useRealTimers();
});

function restoredSession(body) {
  api.on('POST', '/api/auth/refresh', [200, body]);
}

async function advance(seconds) {
  await act(() => vi.advanceTimersByTimeAsync(seconds * 1000));
}

describe('automatic log-off after inactivity', () => {
  it('warns with a countdown first, then signs out and says why', async () => {
    restoredSession({ ...loginBody(users.nurse), idle_timeout_secs: 120 });
    renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });

    await advance(61);

    const dialog = await screen.findByRole('dialog', {
      name: 'Are you still there?',
    });
    expect(within(dialog).getByRole('timer')).toHaveTextContent(/^0:[56]\d$/);
    expect(api.calls('POST', '/api/auth/logout')).toHaveLength(0);

    await advance(60);

    expect(
      await screen.findByText(
        'You were signed out after 2 minutes without activity. Please sign in again.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/logout')).toHaveLength(1);
    expect(getAccessToken()).toBeNull();
  });

  it('keeps the session when the user chooses to stay signed in', async () => {
    restoredSession({ ...loginBody(users.doctor), idle_timeout_secs: 120 });
    const { user } = renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });
    await advance(65);

    await user.click(
      await screen.findByRole('button', { name: 'Stay signed in' }),
    );
    await advance(50);

    expect(
      screen.queryByRole('dialog', { name: 'Are you still there?' }),
    ).not.toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/logout')).toHaveLength(0);
    expect(getAccessToken()).toBe('token-doctor');
  });

  it('counts typing as activity', async () => {
    restoredSession({ ...loginBody(users.doctor), idle_timeout_secs: 120 });
    const { user } = renderApp('/patients');
    const search = await screen.findByLabelText('Search patients');

    await advance(50);
    await user.type(search, 'a');
    await advance(50);

    expect(
      screen.queryByRole('dialog', { name: 'Are you still there?' }),
    ).not.toBeInTheDocument();
  });

  it('uses 15 minutes when the server does not say', async () => {
    restoredSession(loginBody(users.doctor));
    renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });

    await advance(830);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await advance(15);
    expect(
      await screen.findByRole('dialog', { name: 'Are you still there?' }),
    ).toBeInTheDocument();
  });
});

describe('silent renewal of the access token', () => {
  it('refreshes a minute before the token expires and uses the new one', async () => {
    let renewals = 0;
    api.on('POST', '/api/auth/refresh', () => {
      renewals += 1;
      return [
        200,
        {
          ...loginBody(users.doctor, `token-${renewals}`),
          expires_in: 300,
          idle_timeout_secs: 3600,
        },
      ];
    });
    renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });
    expect(renewals).toBe(1);

    await advance(235);
    expect(renewals).toBe(1);
    await advance(10);

    expect(renewals).toBe(2);
    expect(getAccessToken()).toBe('token-2');
  });

  it('ends the session when the renewal is refused', async () => {
    let renewals = 0;
    api.on('POST', '/api/auth/refresh', () =>
      renewals++ === 0
        ? [200, { ...loginBody(users.doctor), idle_timeout_secs: 3600 }]
        : [401, errorBody('unauthorized')],
    );
    renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });

    await advance(850);

    expect(
      await screen.findByText('Your session has ended. Please sign in again.'),
    ).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
  });
});
