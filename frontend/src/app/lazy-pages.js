/**
 * Each section is loaded when first visited, so an administrator's browser
 * never downloads the clinical pages and a clinician's never the admin ones.
 */
import { lazy } from 'react';

function page(load, name) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

export const PatientListPage = page(
  () => import('../features/patients/patient-list-page'),
  'PatientListPage',
);
export const PatientDetailPage = page(
  () => import('../features/patients/patient-detail-page'),
  'PatientDetailPage',
);
export const UsersPage = page(
  () => import('../features/admin/users-page'),
  'UsersPage',
);
export const CareTeamPage = page(
  () => import('../features/admin/care-team-page'),
  'CareTeamPage',
);
export const EmergencyPage = page(
  () => import('../features/emergency/emergency-page'),
  'EmergencyPage',
);
export const ReviewPage = page(
  () => import('../features/emergency/review-page'),
  'ReviewPage',
);
export const AuditPage = page(
  () => import('../features/audit/audit-page'),
  'AuditPage',
);
export const LiveAuditPage = page(
  () => import('../features/audit/live-audit-page'),
  'LiveAuditPage',
);
export const SecurityPage = page(
  () => import('../features/auth/security-page'),
  'SecurityPage',
);
