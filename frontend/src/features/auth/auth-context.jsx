/**
 * Who is signed in. The access token is kept by the HTTP client in memory
 * only, so a reload starts signed out unless the refresh cookie still holds a
 * session, which the provider tries once when it mounts. While signed in, the
 * token is renewed shortly before it expires.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

import {
  onSessionExpired,
  onSessionRenewed,
  setAccessToken,
} from '../../lib/api-client';

import { fetchCurrentUser, login, logout, refreshSession } from './auth-api';
import { sessionFrom } from './session-timing';
import { useTokenRenewal } from './use-token-renewal';

const AuthContext = createContext(null);

const SIGNED_OUT = {
  status: 'signed-out',
  user: null,
  session: null,
  notice: null,
};
export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

async function restoreSession() {
  try {
    const renewed = await refreshSession();
    const user = renewed.user ?? (await fetchCurrentUser());
    return { user, session: sessionFrom(renewed) };
  } catch {
    setAccessToken(null);
    return null;
  }
}

export function AuthProvider({ children, restore = true }) {
  const [state, setState] = useState(
    restore ? { ...SIGNED_OUT, status: 'restoring' } : SIGNED_OUT,
  );

  useEffect(
    () =>
      onSessionExpired(() =>
        setState({ ...SIGNED_OUT, notice: SESSION_ENDED }),
      ),
    [],
  );

  useEffect(
    () =>
      onSessionRenewed((body) =>
        setState((current) =>
          current.status === 'signed-in'
            ? { ...current, session: sessionFrom(body) }
            : current,
        ),
      ),
    [],
  );

  useEffect(() => {
    if (!restore) return undefined;
    let active = true;
    restoreSession().then((restored) => {
      if (!active) return;
      setState(
        restored
          ? { status: 'signed-in', ...restored, notice: null }
          : SIGNED_OUT,
      );
    });
    return () => {
      active = false;
    };
  }, [restore]);

  useTokenRenewal(state.status === 'signed-in' ? state.session : null);

  /** Takes a completed sign-in's body: the session starts here. */
  const completeSignIn = useCallback((body) => {
    setAccessToken(body.access_token);
    setState({
      status: 'signed-in',
      user: body.user,
      session: sessionFrom(body),
      notice: null,
    });
  }, []);

  /**
   * Resolves to {mfaRequired: false} once signed in, or, when a second
   * factor is due, to {mfaRequired: true, mfaToken, enrollmentRequired} for
   * the next step. Throws an ApiError when refused.
   */
  const signIn = useCallback(
    async (credentials) => {
      const body = await login(credentials);
      if (body?.mfa_required) {
        return {
          mfaRequired: true,
          mfaToken: body.mfa_token,
          enrollmentRequired: Boolean(body.enrollment_required),
        };
      }
      completeSignIn(body);
      return { mfaRequired: false };
    },
    [completeSignIn],
  );

  /**
   * Ends the session on the server when possible, and here in any case:
   * the token, the user and every page state under the shell are dropped.
   */
  const signOut = useCallback(async (notice = null) => {
    try {
      await logout();
    } catch {
      // The local session ends even when the server cannot be told.
    } finally {
      setAccessToken(null);
      setState({ ...SIGNED_OUT, notice });
    }
  }, []);

  const value = useMemo(
    () => ({ ...state, signIn, completeSignIn, signOut }),
    [state, signIn, completeSignIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth must be used inside AuthProvider');
  return context;
}
