import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createMockApi, errorBody } from '../test/mock-api';

import { apiClient, onSessionExpired, setAccessToken } from './api-client';
import { ApiError } from './api-error';

let api;
let stopListening = () => {};

beforeEach(() => {
  api = createMockApi().install();
});

afterEach(() => stopListening());

async function failureOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('api client errors', () => {
  it.each([
    [403, 'forbidden', 'You do not have permission to do this.'],
    [404, 'not_found', 'We could not find what you asked for.'],
    [409, 'conflict', /already in use/],
    [413, 'payload_too_large', /too large/],
    [503, 'unavailable', /temporarily unavailable/],
  ])(
    'maps %i %s to plain words with the request id',
    async (status, code, text) => {
      api.on('GET', '/api/thing', [
        status,
        errorBody(code, 'internal words', 'req-7'),
      ]);

      const error = await failureOf(apiClient.get('/thing'));

      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(text);
      expect(error.message).not.toContain('internal words');
      expect(error.requestId).toBe('req-7');
    },
  );

  it('reads Retry-After for rate limiting', async () => {
    api.on('GET', '/api/thing', [
      429,
      errorBody('rate_limited'),
      { 'retry-after': '1' },
    ]);

    const error = await failureOf(apiClient.get('/thing'));

    expect(error.message).toBe(
      'Too many attempts. Please wait 1 second before trying again.',
    );
  });

  it('explains a network failure', async () => {
    api.on('GET', '/api/thing', 'network-error');

    const error = await failureOf(apiClient.get('/thing'));

    expect(error.code).toBe('network');
    expect(error.message).toMatch(/cannot reach the healthsecure server/i);
  });

  it('falls back on the status and the X-Request-Id header when the body is not JSON', async () => {
    api.on('GET', '/api/thing', [500, undefined, { 'x-request-id': 'req-gw' }]);

    const error = await failureOf(apiClient.get('/thing'));

    expect(error.code).toBe('server_error');
    expect(error.requestId).toBe('req-gw');
  });

  it('treats a gateway failure as the service being unavailable', async () => {
    api.on('GET', '/api/thing', [502, undefined]);

    const error = await failureOf(apiClient.get('/thing'));

    expect(error.code).toBe('unavailable');
  });
});

describe('silent refresh', () => {
  it('refreshes once on 401 with the cookie and retries with the new token', async () => {
    setAccessToken('old-token');
    api
      .on('GET', '/api/patients', (request) =>
        request.authorization === 'Bearer new-token'
          ? [200, { ok: true }]
          : [401, errorBody('unauthorized')],
      )
      .on('POST', '/api/auth/refresh', [
        200,
        { access_token: 'new-token', expires_in: 900 },
      ]);

    const { data } = await apiClient.get('/patients');

    expect(data).toEqual({ ok: true });
    const refreshes = api.calls('POST', '/api/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].withCredentials).toBe(true);
    expect(refreshes[0].authorization).toBeNull();
  });

  it('shares one refresh between calls refused at the same time', async () => {
    setAccessToken('old-token');
    api
      .on('GET', '/api/a', (r) =>
        r.authorization === 'Bearer new' ? [200, 1] : [401, {}],
      )
      .on('GET', '/api/b', (r) =>
        r.authorization === 'Bearer new' ? [200, 2] : [401, {}],
      )
      .on('POST', '/api/auth/refresh', [200, { access_token: 'new' }]);

    const answers = await Promise.all([
      apiClient.get('/a'),
      apiClient.get('/b'),
    ]);

    expect(answers.map((r) => r.data)).toEqual([1, 2]);
    expect(api.calls('POST', '/api/auth/refresh')).toHaveLength(1);
  });

  it('ends the session when the refresh is refused', async () => {
    const expired = vi.fn();
    stopListening = onSessionExpired(expired);
    setAccessToken('old-token');
    api
      .on('GET', '/api/patients', [401, errorBody('unauthorized')])
      .on('POST', '/api/auth/refresh', [401, errorBody('unauthorized')]);

    const error = await failureOf(apiClient.get('/patients'));

    expect(error.code).toBe('unauthorized');
    expect(expired).toHaveBeenCalled();
    expect(api.calls('GET', '/api/patients')).toHaveLength(1);
  });

  it('does not try to refresh a call made without a token', async () => {
    api.on('POST', '/api/auth/login', [401, errorBody('unauthorized')]);

    await failureOf(apiClient.post('/auth/login', {}));

    expect(api.calls('POST', '/api/auth/refresh')).toHaveLength(0);
  });
});
