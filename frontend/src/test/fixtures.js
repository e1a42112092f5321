/** Canned API bodies, shaped exactly like the HealthSecure API contract. */

export const users = {
  doctor: {
    id: 1,
    email: 'grace.hopper@clinic.example',
    name: 'Dr Grace Hopper',
    role: 'doctor',
    active: true,
    last_login: '2026-12-01T09:30:00Z',
  },
  nurse: {
    id: 2,
    email: 'florence.n@clinic.example',
    name: 'Florence Nightingale',
    role: 'nurse',
    active: true,
    last_login: null,
  },
  admin: {
    id: 3,
    email: 'ada.admin@clinic.example',
    name: 'Ada Admin',
    role: 'admin',
    active: true,
    last_login: '2026-12-02T08:00:00Z',
  },
};

export function loginBody(user, token = `token-${user.role}`) {
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: 900,
    user,
    refresh_token: `refresh-${user.role}`,
  };
}

const basePatient = {
  id: 42,
  mrn: 'MRN-0042',
  first_name: 'Alva',
  last_name: 'Dickinson',
  date_of_birth: '1968-04-17',
  sex: 'female',
  phone: '555-0100',
  address: '12 Elm Street, Springfield',
  emergency_contact: 'Sam Dickinson, 555-0199',
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-20T15:30:00Z',
};

/** What a doctor receives: the full SSN in the detail view. */
export const patientForDoctor = { ...basePatient, ssn: '123-45-6789' };

/** What a nurse receives: the same patient with no `ssn` key at all. */
export const patientForNurse = { ...basePatient };

export const listPatientForDoctor = { ...basePatient, ssn: '***-**-6789' };

export const plainRecord = {
  id: 7,
  patient_id: 42,
  doctor_id: 1,
  record_type: 'encounter',
  diagnosis: 'Seasonal influenza',
  treatment: 'Rest and fluids',
  notes: 'Follow up in one week',
  medications: 'Oseltamivir 75 mg',
  severity: 'medium',
  sensitive: false,
  restricted: false,
  recorded_at: '2026-11-10T14:00:00Z',
  created_at: '2026-11-10T14:05:00Z',
  updated_at: '2026-11-10T14:05:00Z',
};

/** A sensitive record as a nurse receives it: no diagnosis, no notes. */
export const restrictedRecordForNurse = {
  id: 8,
  patient_id: 42,
  doctor_id: 1,
  record_type: 'condition',
  treatment: 'Referred to specialist',
  medications: 'See prescriber',
  severity: 'high',
  sensitive: true,
  restricted: true,
  recorded_at: '2026-11-15T09:00:00Z',
  created_at: '2026-11-15T09:05:00Z',
  updated_at: '2026-11-15T09:05:00Z',
};

/** An emergency grant as the API returns it, ending `minutes` from now. */
export function grant(overrides = {}, minutes = 60) {
  const now = Date.now();
  return {
    id: 5,
    user_id: users.nurse.id,
    user_role: 'nurse',
    patient_id: 99,
    reason_category: 'emergency_treatment',
    reason: 'Unconscious on arrival, allergies unknown, needs treatment now.',
    requested_at: new Date(now - 60000).toISOString(),
    activated_at: new Date(now - 59000).toISOString(),
    expires_at: new Date(now + minutes * 60000).toISOString(),
    revoked_at: null,
    reviewed_at: null,
    reviewed_by: null,
    review_outcome: null,
    review_note: null,
    status: 'active',
    review_overdue: false,
    ...overrides,
  };
}
