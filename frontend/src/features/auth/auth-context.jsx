/**
 * Who is signed in. The access token is kept by the HTTP client in memory
 * only, so a reload starts signed out unless the refresh cookie still holds a
 * session, which the provider tries once when it mounts.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

import { onSessionExpired, setAccessToken } from '../../lib/api-client';

import { fetchCurrentUser, login, logout, refreshSession } from './auth-api';

const AuthContext = createContext(null);

const SIGNED_OUT = { status: 'signed-out', user: null, notice: null };
const SESSION_ENDED = 'Your session has ended. Please sign in again.';

async function restoreSession() {
  try {
    const renewed = await refreshSession();
    return renewed.user ?? (await fetchCurrentUser());
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

  useEffect(() => {
    if (!restore) return undefined;
    let active = true;
    restoreSession().then((user) => {
      if (!active) return;
      setState(user ? { status: 'signed-in', user, notice: null } : SIGNED_OUT);
    });
    return () => {
      active = false;
    };
  }, [restore]);

  /** Resolves to {mfaRequired} and throws an ApiError when refused. */
  const signIn = useCallback(async (credentials) => {
    const body = await login(credentials);
    if (body?.mfa_required) return { mfaRequired: true };
    setAccessToken(body.access_token);
    setState({ status: 'signed-in', user: body.user, notice: null });
    return { mfaRequired: false };
  }, []);

  /** Ends the session on the server when possible, and here in any case. */
  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      // The local session ends even when the server cannot be told.
    } finally {
      setAccessToken(null);
      setState(SIGNED_OUT);
    }
  }, []);

  const value = useMemo(
    () => ({ ...state, signIn, signOut }),
    [state, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth must be used inside AuthProvider');
  return context;
}
