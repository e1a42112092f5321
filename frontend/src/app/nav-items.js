import { ROLES } from '../lib/roles';

/** The sections of the app and the roles that may use each. */
export const NAV_ITEMS = Object.freeze([
  { to: '/patients', label: 'Patients', roles: [ROLES.doctor, ROLES.nurse] },
  { to: '/admin/users', label: 'Users', roles: [ROLES.admin] },
  { to: '/admin/care-teams', label: 'Care teams', roles: [ROLES.admin] },
]);

export function navItemsFor(role) {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

/** Where a role lands after signing in. */
export function homePathFor(role) {
  return navItemsFor(role)[0]?.to ?? null;
}
