/**
 * A clinician's live emergency grants, shared by the shell's banner, the
 * Emergency page and the request form. Read when the shell mounts, every
 * minute, and after each activation; dropped with the shell at sign-out.
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
    const load = () =>
      listActiveGrants(controller.signal).then(onGrants, onError);
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [onGrants, onError]);

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
