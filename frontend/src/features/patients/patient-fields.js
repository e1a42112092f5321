/** Names, labels and allowed values of the patient and record fields. */
import { formatDate, formatDateTime, humanize } from '../../lib/format';
import { ROLES } from '../../lib/roles';

export const SEX_OPTIONS = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
];

export const RECORD_TYPES = [
  { value: 'condition', label: 'Condition' },
  { value: 'encounter', label: 'Encounter' },
  { value: 'medication', label: 'Medication' },
  { value: 'procedure', label: 'Procedure' },
  { value: 'observation', label: 'Observation' },
];

export const SEVERITIES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'critical', label: 'Critical' },
];

/** Demographic fields in display order; keys the server did not send are skipped. */
const DEMOGRAPHIC_FIELDS = [
  { key: 'mrn', label: 'MRN' },
  { key: 'first_name', label: 'First name' },
  { key: 'last_name', label: 'Last name' },
  { key: 'date_of_birth', label: 'Date of birth', format: formatDate },
  { key: 'sex', label: 'Sex', format: (value) => labelOf(SEX_OPTIONS, value) },
  { key: 'ssn', label: 'SSN' },
  { key: 'phone', label: 'Phone' },
  { key: 'address', label: 'Address' },
  { key: 'emergency_contact', label: 'Emergency contact' },
  { key: 'created_at', label: 'Created', format: formatDateTime },
  { key: 'updated_at', label: 'Last updated', format: formatDateTime },
];

const HIDDEN_KEYS = new Set(['id']);

export function labelOf(options, value) {
  return options.find((option) => option.value === value)?.label ?? value;
}

function isDisplayable(value) {
  return (
    value === null || ['string', 'number', 'boolean'].includes(typeof value)
  );
}

function show(value, format) {
  if (value === null || value === '') return 'Not recorded';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return format ? format(value) : String(value);
}

/**
 * The rows of the demographics view: every field present in the server's
 * answer, known ones first in a fixed order, and nothing it left out.
 */
export function demographicRows(patient) {
  const has = (key) => Object.prototype.hasOwnProperty.call(patient, key);
  const known = DEMOGRAPHIC_FIELDS.filter(({ key }) => has(key));
  const knownKeys = new Set(DEMOGRAPHIC_FIELDS.map(({ key }) => key));
  const extra = Object.keys(patient)
    .filter((key) => !knownKeys.has(key) && !HIDDEN_KEYS.has(key))
    .filter((key) => isDisplayable(patient[key]))
    .map((key) => ({ key, label: humanize(key) }));
  return [...known, ...extra].map(({ key, label, format }) => ({
    key,
    label,
    value: show(patient[key], format),
  }));
}

export function patientName(patient) {
  return [patient.first_name, patient.last_name].filter(Boolean).join(' ');
}

/** Fields each role may change with PUT /api/patients/{id}. */
export const EDITABLE_FIELDS = {
  [ROLES.doctor]: [
    'first_name',
    'last_name',
    'date_of_birth',
    'sex',
    'phone',
    'address',
    'emergency_contact',
  ],
  [ROLES.nurse]: ['phone', 'address', 'emergency_contact'],
};
