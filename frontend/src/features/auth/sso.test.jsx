import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { getAccessToken } from '../../lib/api-client';
import { users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  api.on('GET', '/api/patients', [200, page([])]);
});

describe('single sign-on', () => {
  it('offers one plain sign-in link per configured provider', async () => {
    api.on('GET', '/api/auth/providers', [
      200,
      [
        { id: 'google', name: 'Google' },
        { id: 'hospital-idp', name: 'St Elsewhere staff' },
      ],
    ]);

    renderApp('/sign-in');

    const google = await screen.findByRole('link', {
      name: 'Sign in with Google',
    });
    expect(google).toHaveAttribute(
      'href',
      '/api/auth/oidc/google/login?return_to=%2F',
    );
    expect(
      screen.getByRole('link', { name: 'Sign in with St Elsewhere staff' }),
    ).toHaveAttribute(
      'href',
      '/api/auth/oidc/hospital-idp/login?return_to=%2F',
    );
  });

  it('makes no link from a provider id that is not plain', async () => {
    api.on('GET', '/api/auth/providers', [
      200,
      [
        { id: '../../evil', name: 'Evil' },
        { id: 'google', name: 'Google' },
      ],
    ]);

    renderApp('/sign-in');

    expect(
      await screen.findByRole('link', { name: 'Sign in with Google' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /evil/i }),
    ).not.toBeInTheDocument();
  });

  it('shows no provider section when none is configured', async () => {
    renderApp('/sign-in');

    expect(
      await screen.findByRole('button', { name: 'Sign in' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.calls('GET', '/api/auth/providers')).toHaveLength(1),
    );
    expect(screen.queryByRole('link', { name: /sign in with/i })).toBeNull();
  });

  it('explains a refused sign-on when the server sends the browser back', async () => {
    renderApp('/sign-in?sso_error=not_permitted');

    expect(
      await screen.findByText(/not linked to an active HealthSecure account/i),
    ).toBeInTheDocument();
  });

  it('explains a provider failure and still offers the password form', async () => {
    renderApp('/sign-in?sso_error=provider_error');

    expect(await screen.findByText(/did not complete/i)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('lands signed in on the page asked for once the server has set the refresh cookie', async () => {
    signedInAs(api, users.doctor);

    renderApp('/patients');

    expect(
      await screen.findByRole('heading', { name: 'Patients', level: 1 }),
    ).toBeInTheDocument();
    const [refresh] = api.calls('POST', '/api/auth/refresh');
    expect(refresh.withCredentials).toBe(true);
    expect(getAccessToken()).toBe('token-doctor');
  });
});
