/** Labels for the audit viewer. */

export const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.refresh',
  'auth.refresh_reuse',
  'auth.token_rejected',
  'patient.list',
  'patient.view',
  'patient.create',
  'patient.update',
  'record.view',
  'record.create',
  'record.update',
  'emergency.request',
  'emergency.activate',
  'emergency.revoke',
  'emergency.review',
  'emergency.expired',
  'user.create',
  'user.update',
  'user.deactivate',
  'care_team.assign',
  'care_team.remove',
  'audit.view',
  'audit.export',
];

export const OUTCOME_OPTIONS = [
  { value: '', label: 'Any outcome' },
  { value: 'allowed', label: 'Allowed' },
  { value: 'denied', label: 'Denied' },
  { value: 'failed', label: 'Failed' },
];

export const EMERGENCY_OPTIONS = [
  { value: '', label: 'With or without' },
  { value: 'true', label: 'Emergency access only' },
  { value: 'false', label: 'Without emergency access' },
];

export const OUTCOME_COLORS = {
  allowed: 'success',
  denied: 'error',
  failed: 'warning',
};

export const EXPORT_FORMATS = [
  { value: 'csv', label: 'CSV' },
  { value: 'ndjson', label: 'NDJSON' },
  { value: 'fhir', label: 'FHIR' },
];
