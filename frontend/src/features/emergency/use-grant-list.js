import { useCallback } from 'react';

import { useApiQuery } from '../../lib/use-api-query';

import { listGrants } from './emergency-api';

export function useGrantList({ status, page, pageSize }) {
  const fetcher = useCallback(
    (signal) => listGrants({ status, page, pageSize }, signal),
    [status, page, pageSize],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}
