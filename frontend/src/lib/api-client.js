/**
 * The one HTTP client of the app. It attaches the access token, which lives
 * only in this module's memory, tries one silent refresh when a signed-in call
 * is refused with 401, and turns every failure into an ApiError.
 */
import { create as createHttpClient } from 'axios';

import { toApiError } from './api-error';

let accessToken = null;
let refreshInFlight = null;
let sessionExpiredHandler = null;
const renewalListeners = new Set();

export const apiClient = createHttpClient({
  baseURL: '/api',
  timeout: 20000,
  headers: { Accept: 'application/json' },
});

export function setAccessToken(token) {
  accessToken = token || null;
}

export function getAccessToken() {
  return accessToken;
}

/** Registers the function called when the session cannot be renewed. */
export function onSessionExpired(handler) {
  sessionExpiredHandler = handler;
  return () => {
    if (sessionExpiredHandler === handler) sessionExpiredHandler = null;
  };
}

/**
 * Registers a function called with the body of every successful refresh, so
 * that the session can plan its next renewal from the new lifetime.
 */
export function onSessionRenewed(listener) {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

/** Forgets the token and tells the app that the session is over. */
export function expireSession() {
  accessToken = null;
  sessionExpiredHandler?.();
}

/**
 * Exchanges the HttpOnly refresh cookie for a new access token. Concurrent
 * callers share one request, since a refresh token is single use.
 */
export function refreshSession() {
  if (!refreshInFlight) {
    refreshInFlight = apiClient
      .post('/auth/refresh', {}, { withCredentials: true, anonymous: true })
      .then(({ data }) => {
        if (!data?.access_token) throw new Error('No access token in refresh');
        setAccessToken(data.access_token);
        renewalListeners.forEach((listener) => listener(data));
        return data;
      })
      .finally(() => {
        refreshInFlight = null;
      });
  }
  return refreshInFlight;
}

apiClient.interceptors.request.use((config) => {
  if (accessToken && !config.anonymous) {
    config.headers.set('Authorization', `Bearer ${accessToken}`);
  }
  return config;
});

async function retryAfterRefresh(error) {
  const config = error.config;
  const sentAuthorization = config.headers?.get?.('Authorization');
  if (accessToken && sentAuthorization !== `Bearer ${accessToken}`) {
    // Another call already renewed the token while this one was in flight.
    config.retried = true;
    return apiClient(config);
  }
  try {
    await refreshSession();
  } catch {
    expireSession();
    throw toApiError(error);
  }
  config.retried = true;
  return apiClient(config);
}

apiClient.interceptors.response.use(
  (response) => response,
  (error) => {
    const config = error?.config;
    const signedInCall =
      config && !config.anonymous && config.headers?.has?.('Authorization');
    if (error?.response?.status === 401 && signedInCall) {
      if (!config.retried) return retryAfterRefresh(error);
      expireSession();
    }
    return Promise.reject(toApiError(error));
  },
);
