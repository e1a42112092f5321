/**
 * Calls to /api/emergency: break-glass requests by clinicians, and the
 * administrators' view, revocation and review of grants.
 */
import { apiClient } from '../../lib/api-client';

/** Asks for access; the answer holds the one-time activation token. */
export async function requestEmergencyAccess(body) {
  const { data } = await apiClient.post('/emergency/request', body);
  return data;
}

/** Starts the access with the token from the request; answers the grant. */
export async function activateEmergencyAccess(accessToken) {
  const token = encodeURIComponent(accessToken);
  const { data } = await apiClient.post(`/emergency/activate/${token}`);
  return data;
}

/** Live grants: a clinician's own, or every one for an administrator. */
export async function listActiveGrants(signal) {
  const { data } = await apiClient.get('/emergency/active', { signal });
  return Array.isArray(data) ? data : [];
}

export async function listGrants({ status, page, pageSize }, signal) {
  const params = { page, page_size: pageSize };
  if (status && status !== 'all') params.status = status;
  const { data } = await apiClient.get('/emergency/grants', { params, signal });
  return data;
}

export async function revokeGrant(id) {
  const { data } = await apiClient.post(`/emergency/${id}/revoke`);
  return data;
}

export async function reviewGrant(id, { outcome, note }) {
  const body = { outcome };
  if (note) body.note = note;
  const { data } = await apiClient.post(`/emergency/${id}/review`, body);
  return data;
}
