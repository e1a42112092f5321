import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { getAccessToken } from '../lib/api-client';
import { loginBody, users } from '../test/fixtures';
import { createMockApi, errorBody, page } from '../test/mock-api';
import { renderApp, signedInAs } from '../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  api
    .on('GET', '/api/patients', [200, page([])])
    .on('GET', '/api/admin/users', [200, page([users.admin, users.doctor])]);
});

async function mainNav() {
  return within(await screen.findByRole('navigation', { name: 'Main' }));
}

describe('navigation by role', () => {
  it('gives an administrator Users, Care teams, Audit, Live audit and Emergency review, and no Patients', async () => {
    signedInAs(api, users.admin);

    renderApp('/');

    const nav = await mainNav();
    expect(
      nav
        .getAllByRole('link')
        .map((link) => [link.textContent, link.getAttribute('href')]),
    ).toEqual([
      ['Users', '/admin/users'],
      ['Care teams', '/admin/care-teams'],
      ['Audit', '/admin/audit'],
      ['Live audit', '/admin/live-audit'],
      ['Emergency review', '/admin/emergency'],
      ['Sign-in security', '/account/security'],
    ]);
    expect(
      nav.queryByRole('link', { name: 'Patients' }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'Users', level: 1 }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('banner')).getByText('Administrator'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('banner')).getByText('Ada Admin'),
    ).toBeInTheDocument();
  });

  it.each([
    ['doctor', users.doctor],
    ['nurse', users.nurse],
  ])(
    'gives a %s Patients and Emergency and no administration',
    async (_role, who) => {
      signedInAs(api, who);

      renderApp('/');

      const nav = await mainNav();
      expect(
        nav
          .getAllByRole('link')
          .map((link) => [link.textContent, link.getAttribute('href')]),
      ).toEqual([
        ['Patients', '/patients'],
        ['Emergency', '/emergency'],
        ['Sign-in security', '/account/security'],
      ]);
      expect(
        await screen.findByRole('heading', { name: 'Patients', level: 1 }),
      ).toBeInTheDocument();
    },
  );

  it('keeps an administrator out of the patient pages without asking the server', async () => {
    signedInAs(api, users.admin);

    renderApp('/patients');

    expect(
      await screen.findByRole('heading', { name: 'Not available' }),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/patients')).toHaveLength(0);
  });

  it.each([
    '/admin/users',
    '/admin/audit',
    '/admin/live-audit',
    '/admin/emergency',
  ])('keeps a nurse out of %s', async (path) => {
    signedInAs(api, users.nurse);

    renderApp(path);

    expect(
      await screen.findByRole('heading', { name: 'Not available' }),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/admin/users')).toHaveLength(0);
    expect(api.calls('GET', '/api/audit')).toHaveLength(0);
    expect(api.calls('GET', '/api/emergency/grants')).toHaveLength(0);
  });

  it('keeps an administrator out of the break-glass page', async () => {
    signedInAs(api, users.admin);

    renderApp('/emergency');

    expect(
      await screen.findByRole('heading', { name: 'Not available' }),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/emergency/active')).toHaveLength(0);
  });

  it('shows a not-found page for an unknown address', async () => {
    signedInAs(api, users.doctor);

    renderApp('/no/such/page');

    expect(
      await screen.findByRole('heading', { name: 'Page not found' }),
    ).toBeInTheDocument();
  });

  it('signs out on the server with the bearer token and returns to sign-in', async () => {
    signedInAs(api, users.doctor).on('POST', '/api/auth/logout', [204]);
    const { user } = renderApp('/patients');

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(
      await screen.findByRole('button', { name: 'Sign in' }),
    ).toBeInTheDocument();
    const [logout] = api.calls('POST', '/api/auth/logout');
    expect(logout.authorization).toBe('Bearer token-doctor');
    expect(getAccessToken()).toBeNull();
  });

  it('signs out locally even when the server cannot be reached', async () => {
    signedInAs(api, users.doctor).on(
      'POST',
      '/api/auth/logout',
      'network-error',
    );
    const { user } = renderApp('/patients');

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(getAccessToken()).toBeNull());
    expect(
      await screen.findByRole('button', { name: 'Sign in' }),
    ).toBeInTheDocument();
  });

  it('returns to sign-in with a notice when the session cannot be renewed', async () => {
    let refreshes = 0;
    api
      .on('POST', '/api/auth/refresh', () =>
        refreshes++ === 0
          ? [200, loginBody(users.doctor)]
          : [401, errorBody('unauthorized')],
      )
      .on('GET', '/api/patients', [401, errorBody('unauthorized')]);

    renderApp('/patients');

    expect(
      await screen.findByText('Your session has ended. Please sign in again.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
  });
});
