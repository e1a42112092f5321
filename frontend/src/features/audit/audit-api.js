/**
 * Calls to /api/audit. Rows name people and patients by id and list field
 * names only, so nothing here carries patient data.
 */
import { apiClient } from '../../lib/api-client';

export async function listAuditRows(params, signal) {
  const { data } = await apiClient.get('/audit', { params, signal });
  return data;
}

export async function verifyAuditChain() {
  const { data } = await apiClient.get('/audit/verify', { timeout: 120000 });
  return data;
}

function fileNameFrom(disposition, fallback) {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  const name = match ? decodeURIComponent(match[1]) : fallback;
  // Only a plain file name is used, never a path.
  return /^[\w.-]{1,120}$/.test(name) ? name : fallback;
}

/**
 * Downloads an export with the bearer token (a plain link could not send
 * it) and returns the file as a Blob with its name.
 */
export async function exportAudit(format, filters) {
  const response = await apiClient.get('/audit/export', {
    params: { ...filters, format },
    responseType: 'blob',
    timeout: 300000,
  });
  const stamp = new Date().toISOString().slice(0, 10);
  const extension = { csv: 'csv', ndjson: 'ndjson', fhir: 'json' }[format];
  return {
    blob: response.data,
    fileName: fileNameFrom(
      response.headers?.['content-disposition'],
      `healthsecure-audit-${stamp}.${extension}`,
    ),
  };
}

/** Hands a Blob to the browser as a download. */
export function saveBlob({ blob, fileName }) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
