/**
 * Every failed API call reaches the interface as an ApiError: a stable code, a
 * message in plain words chosen by that code, and the request id for support.
 * The server's own body is never shown as is.
 */

const MESSAGES = {
  unauthorized: 'You need to sign in again to continue.',
  forbidden: 'You do not have permission to do this.',
  reauth_required:
    'Confirm it is you before doing this: enter your password or a code from your authenticator app.',
  not_found: 'We could not find what you asked for.',
  validation_failed: 'Some of the information is not valid. Please check it.',
  conflict:
    'This conflicts with information that already exists, such as an email address or MRN already in use.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  payload_too_large: 'What you sent is too large. Please shorten it.',
  unavailable:
    'HealthSecure is temporarily unavailable. Please try again shortly.',
  network:
    'Cannot reach the HealthSecure server. Check your connection and try again.',
  timeout: 'The server took too long to answer. Please try again.',
  canceled: 'The request was cancelled.',
  server_error:
    'Something went wrong on the server. Please try again; if it keeps happening, contact support.',
  unknown: 'Something went wrong. Please try again.',
};

const CODES_BY_STATUS = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limited',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

// Server messages are written for people; they are shown as a detail only for
// codes where they tell the user what to fix.
const CODES_WITH_DETAIL = new Set(['validation_failed', 'conflict']);
const MAX_DETAIL_LENGTH = 300;

export class ApiError extends Error {
  constructor({
    code,
    status = null,
    requestId = null,
    detail = null,
    retryAfter = null,
  }) {
    super(messageFor(code, retryAfter));
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

export function messageFor(code, retryAfter = null) {
  if (code === 'rate_limited' && retryAfter) {
    const unit = retryAfter === 1 ? 'second' : 'seconds';
    return `Too many attempts. Please wait ${retryAfter} ${unit} before trying again.`;
  }
  return MESSAGES[code] ?? MESSAGES.unknown;
}

/** Seconds to wait, from a Retry-After header given in seconds or as a date. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

function headerValue(headers, name) {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  return headers[name] ?? headers[name.toLowerCase()];
}

function codeFor(status, body) {
  const known = typeof body?.code === 'string' && MESSAGES[body.code];
  if (known) return body.code;
  if (CODES_BY_STATUS[status]) return CODES_BY_STATUS[status];
  return status >= 500 ? 'server_error' : 'unknown';
}

function parseBody(data) {
  if (data && typeof data === 'object') return data;
  if (typeof data !== 'string' || data === '') return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/** Converts whatever axios rejected with into an ApiError. */
export function toApiError(error) {
  if (error instanceof ApiError) return error;
  if (error?.code === 'ERR_CANCELED' || error?.name === 'CanceledError') {
    return new ApiError({ code: 'canceled' });
  }
  const response = error?.response;
  if (!response) {
    const timedOut =
      error?.code === 'ECONNABORTED' || error?.code === 'ETIMEDOUT';
    return new ApiError({ code: timedOut ? 'timeout' : 'network' });
  }
  const body = parseBody(response.data);
  const code = codeFor(response.status, body);
  const requestId =
    (typeof body?.request_id === 'string' && body.request_id) ||
    headerValue(response.headers, 'x-request-id') ||
    null;
  const serverText = typeof body?.error === 'string' ? body.error.trim() : '';
  const detail =
    CODES_WITH_DETAIL.has(code) &&
    serverText &&
    serverText.length <= MAX_DETAIL_LENGTH
      ? serverText
      : null;
  const retryAfter =
    code === 'rate_limited'
      ? parseRetryAfter(headerValue(response.headers, 'retry-after'))
      : null;
  return new ApiError({
    code,
    status: response.status,
    requestId,
    detail,
    retryAfter,
  });
}

export function isApiError(error, code) {
  return (
    error instanceof ApiError && (code === undefined || error.code === code)
  );
}
