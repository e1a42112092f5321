/**
 * A clinician's live emergency grants, shared by the shell's banner, the
 * Emergency page and the request form. Read when the shell mounts and after
 * each activation, and every minute only while a grant is live (so that an
 * early revocation shows): every read is an audited request, and polling
 * all day for nothing would fill the audit trail. Dropped with the shell at
 * sign-out.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

import { isApiError } from '../../lib/api-error';

import { listActiveGrants } from './emergency-api';

const POLL_MS = 60000;

const ActiveGrantsContext = createContext({
  grants: [],
  available: false,
  refresh: () => Promise.resolve(),
});

export function ActiveGrantsProvider({ children }) {
  const [grants, setGrants] = useState([]);
  const [available, setAvailable] = useState(true);

  const onGrants = useCallback((list) => {
    setGrants(list);
    setAvailable(true);
  }, []);
  const onError = useCallback((error) => {
    // A server without break-glass answers 404; nothing is shown then.
    if (isApiError(error, 'not_found')) setAvailable(false);
  }, []);

  const refresh = useCallback(
    () => listActiveGrants().then(onGrants, onError),
    [onGrants, onError],
  );

  useEffect(() => {
    const controller = new AbortController();
    listActiveGrants(controller.signal).then(onGrants, onError);
    return () => controller.abort();
  }, [onGrants, onError]);

  const polling = grants.length > 0;
  useEffect(() => {
    if (!polling) return undefined;
    const controller = new AbortController();
    const timer = setInterval(
      () => listActiveGrants(controller.signal).then(onGrants, onError),
      POLL_MS,
    );
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [polling, onGrants, onError]);

  const value = useMemo(
    () => ({ grants, available, refresh }),
    [grants, available, refresh],
  );
  return (
    <ActiveGrantsContext.Provider value={value}>
      {children}
    </ActiveGrantsContext.Provider>
  );
}

export function useActiveGrants() {
  return useContext(ActiveGrantsContext);
}
