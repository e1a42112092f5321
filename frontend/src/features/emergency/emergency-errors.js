/**
 * The refusals of a break-glass request in plain words. Each keeps the
 * server's request id so that support can find the attempt in the audit
 * trail.
 */
import { ApiError, isApiError } from '../../lib/api-error';

const MESSAGES = {
  forbidden:
    'Your role cannot request emergency access. Only doctors and nurses can.',
  conflict:
    'You are already on this patient’s care team, so you do not need emergency access. Open the patient from your patient list.',
  not_found: 'No patient has this number. Check it with the ward.',
  validation_failed:
    'The request was not accepted. Check the reason and the justification.',
};

function rateLimitMessage(retryAfter) {
  const wait = retryAfter
    ? ` You can ask again in about ${Math.ceil(retryAfter / 60)} minute${retryAfter > 60 ? 's' : ''}.`
    : '';
  return `You already have as many emergency grants as allowed at one time.${wait}`;
}

/** An error object for ErrorAlert, worded for the emergency request. */
export function emergencyRequestError(error) {
  if (!isApiError(error)) return error;
  const message =
    error.code === 'rate_limited'
      ? rateLimitMessage(error.retryAfter)
      : MESSAGES[error.code];
  if (!message) return error;
  const worded = new ApiError({
    code: error.code,
    status: error.status,
    requestId: error.requestId,
    detail: error.code === 'validation_failed' ? error.detail : null,
  });
  worded.message = message;
  return worded;
}
