import { useCallback } from 'react';

import { useApiQuery } from '../../lib/use-api-query';

import { listAllUsers, listUsers } from './admin-api';

export function useUserList({ page, pageSize }) {
  const fetcher = useCallback(
    (signal) => listUsers({ page, pageSize }, signal),
    [page, pageSize],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}

export function useAllUsers() {
  const fetcher = useCallback((signal) => listAllUsers(signal), []);
  return useApiQuery(fetcher);
}
