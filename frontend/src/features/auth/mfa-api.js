/**
 * Calls for the second factor: the code step of signing in, setting up an
 * authenticator app, and confirming who you are again before a sensitive
 * action. Codes and tokens are sent and forgotten; nothing is stored.
 */
import { apiClient } from '../../lib/api-client';

/** Finishes a sign-in with a code or a recovery code; resolves to the session body. */
export async function verifyMfa({ mfaToken, code, recoveryCode }) {
  const body = recoveryCode
    ? { mfa_token: mfaToken, recovery_code: recoveryCode }
    : { mfa_token: mfaToken, code };
  const { data } = await apiClient.post('/auth/mfa', body, {
    anonymous: true,
    withCredentials: true,
  });
  return data;
}

/**
 * A new authenticator secret: {secret, otpauth_url, qr_svg}. During a sign-in
 * that requires enrolment the challenge token stands in for the session.
 */
export async function startEnrolment({ mfaToken } = {}) {
  const { data } = await apiClient.post(
    '/auth/mfa/enroll',
    mfaToken ? { mfa_token: mfaToken } : {},
    mfaToken ? { anonymous: true } : undefined,
  );
  return data;
}

/**
 * Confirms the new authenticator with its first code: {recovery_codes}, and
 * the session body too when it finishes a sign-in.
 */
export async function confirmEnrolment({ mfaToken, code }) {
  const { data } = await apiClient.post(
    '/auth/mfa/enroll/confirm',
    mfaToken ? { mfa_token: mfaToken, code } : { code },
    mfaToken ? { anonymous: true, withCredentials: true } : undefined,
  );
  return data;
}

/** Confirms who the signed-in user is, with the password or a code. */
export async function reauthenticate({ password, code }) {
  await apiClient.post('/auth/reauth', password ? { password } : { code });
}
