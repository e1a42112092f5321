import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { getAccessToken } from '../../lib/api-client';
import { loginBody, users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  api.on('GET', '/api/patients', [200, page([])]);
});

async function fillAndSubmit(user, email, password) {
  if (email)
    await user.type(await screen.findByLabelText(/email address/i), email);
  if (password) await user.type(screen.getByLabelText(/password/i), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in page', () => {
  it('explains what is missing when the form is sent empty, without calling the server', async () => {
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user);

    expect(
      await screen.findByText('Enter your email address.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/login')).toHaveLength(0);
  });

  it('rejects an email address that is not one', async () => {
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, 'not-an-email', 'secret');

    expect(
      await screen.findByText(/enter a valid email address/i),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/login')).toHaveLength(0);
  });

  it('signs a doctor in, lands on Patients and keeps the token out of web storage', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    api.on('POST', '/api/auth/login', [
      200,
      loginBody(users.doctor, 'secret-access-token'),
    ]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.doctor.email, 'correct horse battery');

    expect(
      await screen.findByRole('heading', { name: 'Patients', level: 1 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Dr Grace Hopper')).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/login')[0].body).toEqual({
      email: users.doctor.email,
      password: 'correct horse battery',
    });
    expect(getAccessToken()).toBe('secret-access-token');
    expect(setItem).not.toHaveBeenCalled();
    expect(window.localStorage).toHaveLength(0);
    expect(window.sessionStorage).toHaveLength(0);
    expect(document.cookie).not.toContain('secret-access-token');
    await waitFor(() =>
      expect(api.calls('GET', '/api/patients')[0]?.authorization).toBe(
        'Bearer secret-access-token',
      ),
    );
  });

  it('shows a plain message and the reference when the credentials are refused', async () => {
    api.on('POST', '/api/auth/login', [
      401,
      errorBody('unauthorized', 'invalid credentials', 'req-login-9'),
    ]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.doctor.email, 'wrong password');

    expect(
      await screen.findByText('The email address or password is not correct.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Reference: req-login-9')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('"code"');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
  });

  it('tells the user how long to wait when sign-in is rate limited', async () => {
    api.on('POST', '/api/auth/login', [
      429,
      errorBody('rate_limited', 'slow down'),
      { 'retry-after': '30' },
    ]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.doctor.email, 'anything');

    expect(
      await screen.findByText(
        'Too many attempts. Please wait 30 seconds before trying again.',
      ),
    ).toBeInTheDocument();
  });

  it('says a second factor is required instead of signing in', async () => {
    api.on('POST', '/api/auth/login', [
      200,
      { mfa_required: true, mfa_token: 'mfa-abc', enrollment_required: false },
    ]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.admin.email, 'a long password');

    expect(
      await screen.findByText(/a second factor is required/i),
    ).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Sign out' }),
    ).not.toBeInTheDocument();
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    renderApp('/patients');

    expect(
      await screen.findByRole('button', { name: 'Sign in' }),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/patients')).toHaveLength(0);
  });
});
