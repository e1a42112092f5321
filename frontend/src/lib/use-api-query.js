/**
 * Runs a read against the API whenever `fetcher` changes (callers memoise it
 * with useCallback) and cancels the previous request, so a slow answer for an
 * old search never replaces a newer one.
 */
import { useCallback, useEffect, useState } from 'react';

import { isApiError } from './api-error';

const EMPTY = { fetcher: null, version: -1, data: undefined, error: null };

export function useApiQuery(fetcher, { keepPreviousData = false } = {}) {
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState(EMPTY);

  useEffect(() => {
    const controller = new AbortController();
    fetcher(controller.signal).then(
      (data) => setResult({ fetcher, version, data, error: null }),
      (error) => {
        if (isApiError(error, 'canceled')) return;
        setResult({ fetcher, version, data: undefined, error });
      },
    );
    return () => controller.abort();
  }, [fetcher, version]);

  const reload = useCallback(() => setVersion((value) => value + 1), []);
  const current = result.fetcher === fetcher;
  const loading = !current || result.version !== version;
  const showData = current || keepPreviousData;

  return {
    data: showData ? result.data : undefined,
    error: loading ? null : result.error,
    loading,
    reload,
  };
}
