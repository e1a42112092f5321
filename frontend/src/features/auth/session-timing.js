/**
 * How long a signed-in session lasts, read from the login and refresh
 * answers: `expires_in` for the access token and `idle_timeout_secs` for the
 * automatic log-off after inactivity (HIPAA automatic logoff).
 */

export const DEFAULT_IDLE_TIMEOUT_SECS = 900;
export const DEFAULT_TOKEN_LIFETIME_SECS = 900;

/** The warning shows this long before the log-off, at most half the timeout. */
export const MAX_WARNING_SECS = 60;

function positiveNumber(value, fallback) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : fallback;
}

/** The session settings carried by a login or refresh body. */
export function sessionFrom(body) {
  return {
    expiresIn: positiveNumber(body?.expires_in, DEFAULT_TOKEN_LIFETIME_SECS),
    idleTimeoutSecs: positiveNumber(
      body?.idle_timeout_secs,
      DEFAULT_IDLE_TIMEOUT_SECS,
    ),
    renewedAt: Date.now(),
  };
}

/** Renew a minute before expiry, or at 80% of a short lifetime. */
export function renewalDelayMs(expiresIn) {
  const margin = Math.min(60, expiresIn * 0.2);
  return Math.max(1, expiresIn - margin) * 1000;
}

export function warningSecsFor(idleTimeoutSecs) {
  return Math.min(MAX_WARNING_SECS, Math.floor(idleTimeoutSecs / 2));
}
