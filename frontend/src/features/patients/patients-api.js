/** Calls to /api/patients. The server filters fields by role; none is added. */
import { apiClient } from '../../lib/api-client';

export async function listPatients({ q, page, pageSize, sort, order }, signal) {
  const params = { page, page_size: pageSize, sort, order };
  if (q) params.q = q;
  const { data } = await apiClient.get('/patients', { params, signal });
  return data;
}

export async function getPatient(id, signal) {
  const { data } = await apiClient.get(`/patients/${id}`, { signal });
  return data;
}

export async function createPatient(body) {
  const { data } = await apiClient.post('/patients', body);
  return data;
}

export async function updatePatient(id, body) {
  const { data } = await apiClient.put(`/patients/${id}`, body);
  return data;
}

export async function listRecords(patientId, { page, pageSize }, signal) {
  const { data } = await apiClient.get(`/patients/${patientId}/records`, {
    params: { page, page_size: pageSize },
    signal,
  });
  return data;
}

export async function createRecord(patientId, body) {
  const { data } = await apiClient.post(`/patients/${patientId}/records`, body);
  return data;
}

/** Who saw this patient's data and to whom it was disclosed (doctors). */
export async function getAccessReport(patientId, { page, pageSize }, signal) {
  const { data } = await apiClient.get(`/patients/${patientId}/access-report`, {
    params: { page, page_size: pageSize },
    signal,
  });
  return data;
}

/** Records a disclosure made outside HealthSecure, for the accounting. */
export async function recordDisclosure(patientId, body) {
  const { data } = await apiClient.post(
    `/patients/${patientId}/disclosures`,
    body,
  );
  return data;
}
