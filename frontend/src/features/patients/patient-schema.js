/**
 * Validation of the patient forms, mirroring the server's rules so that most
 * mistakes are caught before a request is sent. The server checks again.
 */
import * as yup from 'yup';

import { SEX_OPTIONS } from './patient-fields';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const SSN_PATTERN = /^\d{3}-\d{2}-\d{4}$/;
const MRN_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const PHONE_PATTERN = /^[0-9+()\-.\s]{3,32}$/;

function isRealPastDate(value) {
  if (!value || !DATE_PATTERN.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day;
  return real && year >= 1900 && date.getTime() <= Date.now();
}

const optionalText = (label, max) =>
  yup.string().trim().max(max, `${label} has at most ${max} characters.`);

export const patientFieldRules = {
  first_name: yup
    .string()
    .trim()
    .required('Enter the first name.')
    .max(100, 'First name has at most 100 characters.'),
  last_name: yup
    .string()
    .trim()
    .required('Enter the last name.')
    .max(100, 'Last name has at most 100 characters.'),
  date_of_birth: yup
    .string()
    .required('Enter the date of birth.')
    .test(
      'past-date',
      'Enter a real date of birth (YYYY-MM-DD), not in the future.',
      isRealPastDate,
    ),
  sex: yup
    .string()
    .required('Choose the sex.')
    .oneOf(
      SEX_OPTIONS.map((option) => option.value),
      'Choose the sex.',
    ),
  phone: optionalText('Phone', 32).test(
    'phone',
    'Use digits, spaces and + ( ) - only.',
    (value) => !value || PHONE_PATTERN.test(value),
  ),
  address: optionalText('Address', 500),
  emergency_contact: optionalText('Emergency contact', 200),
  ssn: yup
    .string()
    .trim()
    .test(
      'ssn',
      'Write the SSN as 123-45-6789.',
      (value) => !value || SSN_PATTERN.test(value),
    ),
  mrn: yup
    .string()
    .trim()
    .test(
      'mrn',
      'An MRN has up to 64 letters, digits or dashes.',
      (value) => !value || MRN_PATTERN.test(value),
    ),
};

export function patientSchema(fields) {
  return yup.object(
    Object.fromEntries(
      fields.map((field) => [field, patientFieldRules[field]]),
    ),
  );
}

export const CREATE_FIELDS = [
  'first_name',
  'last_name',
  'date_of_birth',
  'sex',
  'phone',
  'address',
  'emergency_contact',
  'ssn',
  'mrn',
];

/** The create body: optional fields left empty are not sent at all. */
export function toCreateBody(values) {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== '' && value != null),
  );
}

/** The update body: only changed fields; a cleared field is sent as null. */
export function toUpdateBody(values, dirtyFields) {
  return Object.fromEntries(
    Object.keys(dirtyFields)
      .filter((key) => dirtyFields[key])
      .map((key) => [key, values[key] === '' ? null : values[key]]),
  );
}
