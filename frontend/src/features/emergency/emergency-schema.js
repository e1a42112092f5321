/**
 * Validation of the break-glass request, mirroring the server: a known
 * category and a justification of 20 to 1000 characters after trimming,
 * counted as the server counts them (Unicode characters), with no control
 * characters other than new lines and tabs.
 */
import * as yup from 'yup';

import { REASON_CATEGORIES } from './emergency-fields';

export const REASON_MIN = 20;
export const REASON_MAX = 1000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Characters as the server counts them, so emoji count once. */
export function reasonLength(value) {
  return [...String(value ?? '').trim()].length;
}

const patientId = yup
  .string()
  .trim()
  .required('Enter the patient number.')
  .matches(/^[1-9]\d{0,17}$/, 'A patient number is a whole number, like 42.');

const reason = yup
  .string()
  .test(
    'reason-min',
    `Explain why in at least ${REASON_MIN} characters.`,
    (value) => reasonLength(value) >= REASON_MIN,
  )
  .test(
    'reason-max',
    `Keep the justification to ${REASON_MAX} characters at most.`,
    (value) => reasonLength(value) <= REASON_MAX,
  )
  .test(
    'reason-characters',
    'Remove the special control characters from the justification.',
    (value) => !CONTROL.test(value ?? ''),
  );

const reasonCategory = yup
  .string()
  .required('Choose the reason.')
  .oneOf(
    REASON_CATEGORIES.map((option) => option.value),
    'Choose the reason.',
  );

export const requestSchema = yup.object({
  patient_id: patientId,
  reason_category: reasonCategory,
  reason,
});

export const EMPTY_REQUEST = {
  patient_id: '',
  reason_category: '',
  reason: '',
};

export function toRequestBody(values) {
  return {
    patient_id: Number(values.patient_id),
    reason_category: values.reason_category,
    reason: values.reason.trim(),
  };
}
