import { useCallback } from 'react';

import { useApiQuery } from '../../lib/use-api-query';

import {
  getAccessReport,
  getPatient,
  listPatients,
  listRecords,
} from './patients-api';

export function usePatientList({ q, page, pageSize, sort, order }) {
  const fetcher = useCallback(
    (signal) => listPatients({ q, page, pageSize, sort, order }, signal),
    [q, page, pageSize, sort, order],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}

export function usePatient(patientId) {
  const fetcher = useCallback(
    (signal) => getPatient(patientId, signal),
    [patientId],
  );
  return useApiQuery(fetcher);
}

export function usePatientRecords(patientId, { page, pageSize }) {
  const fetcher = useCallback(
    (signal) => listRecords(patientId, { page, pageSize }, signal),
    [patientId, page, pageSize],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}

export function useAccessReport(patientId, { page, pageSize }) {
  const fetcher = useCallback(
    (signal) => getAccessReport(patientId, { page, pageSize }, signal),
    [patientId, page, pageSize],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}
