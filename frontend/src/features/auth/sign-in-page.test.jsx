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

  it('asks for the authenticator code after the password and signs in with it', async () => {
    api.on('POST', '/api/auth/login', [
      200,
      { mfa_required: true, mfa_token: 'mfa-abc', enrollment_required: false },
    ]);
    api.on('GET', '/api/admin/users', [200, page([])]);
    api.on('POST', '/api/auth/mfa', (request) =>
      request.body.code === '123456'
        ? [200, loginBody(users.admin)]
        : [401, errorBody('unauthorized')],
    );
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.admin.email, 'a long password');
    const field = await screen.findByLabelText('Authentication code');
    expect(getAccessToken()).toBeNull();

    await user.type(field, '12345');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(
      await screen.findByText(
        'Enter the six-digit code your authenticator app shows.',
      ),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/mfa')).toHaveLength(0);

    await user.clear(field);
    await user.type(field, '654 321');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText(/was not accepted/i)).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();

    await user.type(screen.getByLabelText('Authentication code'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(getAccessToken()).toBe('token-admin'));
    const sent = api.calls('POST', '/api/auth/mfa');
    expect(sent.at(-1).body).toEqual({ mfa_token: 'mfa-abc', code: '123456' });
  });

  it('accepts a recovery code instead of an authenticator code', async () => {
    api.on('POST', '/api/auth/login', [
      200,
      { mfa_required: true, mfa_token: 'mfa-abc', enrollment_required: false },
    ]);
    api.on('POST', '/api/auth/mfa', [200, loginBody(users.doctor)]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.doctor.email, 'a long password');
    await user.click(
      await screen.findByRole('button', { name: /use a recovery code/i }),
    );
    await user.type(screen.getByLabelText('Recovery code'), 'ABCD-EFGH-JKMN');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    await waitFor(() => expect(getAccessToken()).toBe('token-doctor'));
    expect(api.calls('POST', '/api/auth/mfa')[0].body).toEqual({
      mfa_token: 'mfa-abc',
      recovery_code: 'ABCD-EFGH-JKMN',
    });
  });

  it('leads an account that must enrol through the QR code and shows the recovery codes once', async () => {
    api.on('POST', '/api/auth/login', [
      200,
      { mfa_required: true, mfa_token: 'mfa-new', enrollment_required: true },
    ]);
    api.on('GET', '/api/admin/users', [200, page([])]);
    api.on('POST', '/api/auth/mfa/enroll', [
      200,
      {
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        otpauth_url: 'otpauth://totp/HealthSecure:x?secret=JBSWY3DPEHPK3PXP',
        qr_svg:
          '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      },
    ]);
    const codes = Array.from({ length: 10 }, (_, i) => `CODE-000${i}-XXXX`);
    api.on('POST', '/api/auth/mfa/enroll/confirm', [
      200,
      { ...loginBody(users.admin), recovery_codes: codes },
    ]);
    const { user } = renderApp('/sign-in');

    await fillAndSubmit(user, users.admin.email, 'a long password');
    const qr = await screen.findByRole('img', { name: /qr code/i });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    // The markup is never part of the page itself.
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getByTestId('mfa-secret')).toHaveTextContent(
      'JBSW Y3DP EHPK 3PXP',
    );
    expect(api.calls('POST', '/api/auth/mfa/enroll')[0].body).toEqual({
      mfa_token: 'mfa-new',
    });

    await user.type(screen.getByLabelText('Code from the app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(list).toHaveTextContent('CODE-0009-XXXX');
    expect(getAccessToken()).toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'I have saved these codes' }),
    );
    await waitFor(() => expect(getAccessToken()).toBe('token-admin'));
    expect(screen.queryByText('CODE-0009-XXXX')).not.toBeInTheDocument();
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    renderApp('/patients');

    expect(
      await screen.findByRole('button', { name: 'Sign in' }),
    ).toBeInTheDocument();
    expect(api.calls('GET', '/api/patients')).toHaveLength(0);
  });
});
