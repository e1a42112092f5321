import { ROLES } from '../lib/roles';

const CLINICIANS = [ROLES.doctor, ROLES.nurse];
const ADMINS = [ROLES.admin];

/** The sections of the app and the roles that may use each. */
export const NAV_ITEMS = Object.freeze([
  { to: '/patients', label: 'Patients', roles: CLINICIANS },
  { to: '/emergency', label: 'Emergency', roles: CLINICIANS },
  { to: '/admin/users', label: 'Users', roles: ADMINS },
  { to: '/admin/care-teams', label: 'Care teams', roles: ADMINS },
  { to: '/admin/audit', label: 'Audit', roles: ADMINS },
  { to: '/admin/live-audit', label: 'Live audit', roles: ADMINS },
  { to: '/admin/emergency', label: 'Emergency review', roles: ADMINS },
  {
    to: '/account/security',
    label: 'Sign-in security',
    roles: [...CLINICIANS, ...ADMINS],
  },
]);

export function navItemsFor(role) {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

/** Where a role lands after signing in. */
export function homePathFor(role) {
  return navItemsFor(role)[0]?.to ?? null;
}
