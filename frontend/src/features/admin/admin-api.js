/**
 * Calls to /api/admin. An administrator manages people and care teams and
 * never receives patient data: a patient is found by MRN and known by id only.
 */
import { apiClient } from '../../lib/api-client';

export async function listUsers({ page, pageSize }, signal) {
  const { data } = await apiClient.get('/admin/users', {
    params: { page, page_size: pageSize },
    signal,
  });
  return data;
}

/** Every user, page by page, for choosing a clinician. */
export async function listAllUsers(signal, maxPages = 20) {
  const users = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const data = await listUsers({ page, pageSize: 100 }, signal);
    users.push(...data.items);
    if (users.length >= data.total || data.items.length === 0) break;
  }
  return users;
}

export async function createUser(body) {
  const { data } = await apiClient.post('/admin/users', body);
  return data;
}

export async function updateUser(id, body) {
  const { data } = await apiClient.put(`/admin/users/${id}`, body);
  return data;
}

export async function setUserActive(id, active) {
  const action = active ? 'activate' : 'deactivate';
  await apiClient.post(`/admin/users/${id}/${action}`);
}

/** Removes a user's authenticator app and recovery codes; their sessions end. */
export async function resetUserMfa(id) {
  await apiClient.post(`/admin/users/${id}/mfa/reset`);
}

export async function lookupPatientByMrn(mrn) {
  const { data } = await apiClient.get('/admin/patients/lookup', {
    params: { mrn },
  });
  return data;
}

export async function assignToCareTeam({ userId, patientId }) {
  await apiClient.post('/admin/care-team', {
    user_id: userId,
    patient_id: patientId,
  });
}

export async function removeFromCareTeam({ userId, patientId }) {
  await apiClient.delete('/admin/care-team', {
    data: { user_id: userId, patient_id: patientId },
  });
}

/** Sets a new password; the user's sessions end at once. */
export async function resetPassword(id, { password, mustChangePassword }) {
  await apiClient.post(`/admin/users/${id}/password`, {
    password,
    must_change_password: mustChangePassword,
  });
}
