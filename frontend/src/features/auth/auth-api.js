/** Calls to /api/auth. None of them stores a token anywhere but in memory. */
import { apiClient } from '../../lib/api-client';

export { refreshSession } from '../../lib/api-client';

/**
 * Signs in with email and password. The answer is either a completed login
 * ({access_token, user, ...}) or {mfa_required: true, ...} when a second
 * factor is due.
 */
export async function login({ email, password }) {
  const { data } = await apiClient.post(
    '/auth/login',
    { email, password },
    { anonymous: true, withCredentials: true },
  );
  return data;
}

/** Revokes the access token and its refresh family on the server. */
export async function logout() {
  await apiClient.post('/auth/logout', undefined, { withCredentials: true });
}

export async function fetchCurrentUser(signal) {
  const { data } = await apiClient.get('/auth/me', { signal });
  return data;
}

/** Single sign-on providers configured on the server; none when absent. */
export async function fetchProviders(signal) {
  try {
    const { data } = await apiClient.get('/auth/providers', {
      signal,
      anonymous: true,
    });
    return Array.isArray(data) ? data : [];
  } catch {
    return [];
  }
}
