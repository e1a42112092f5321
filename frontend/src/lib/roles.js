/** The three roles of the design brief and what the interface calls them. */
export const ROLES = Object.freeze({
  doctor: 'doctor',
  nurse: 'nurse',
  admin: 'admin',
});

export const ROLE_LABELS = Object.freeze({
  doctor: 'Doctor',
  nurse: 'Nurse',
  admin: 'Administrator',
});

export const CLINICAL_ROLES = Object.freeze([ROLES.doctor, ROLES.nurse]);

export function roleLabel(role) {
  return ROLE_LABELS[role] ?? role;
}
