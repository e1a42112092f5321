import { useEffect } from 'react';

import { expireSession, refreshSession } from '../../lib/api-client';
import { isApiError } from '../../lib/api-error';

import { renewalDelayMs } from './session-timing';

const RETRY_MS = 15000;

/**
 * Renews the access token shortly before it expires, so that a user at work
 * never meets a refused call. A refused refresh ends the session; a network
 * failure is tried again a little later (and the 401 path still guards).
 */
export function useTokenRenewal(session) {
  const expiresIn = session?.expiresIn;
  const renewedAt = session?.renewedAt;

  useEffect(() => {
    if (!expiresIn) return undefined;
    let timer;
    const renew = () => {
      refreshSession().catch((error) => {
        if (isApiError(error, 'unauthorized')) expireSession();
        else timer = setTimeout(renew, RETRY_MS);
      });
    };
    const due = renewedAt + renewalDelayMs(expiresIn) - Date.now();
    timer = setTimeout(renew, Math.max(0, due));
    return () => clearTimeout(timer);
  }, [expiresIn, renewedAt]);
}
