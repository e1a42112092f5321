/**
 * Validation of a new medical record, mirroring the server: a diagnosis of 1
 * to 500 characters, a known record type and severity, bounded free text.
 */
import * as yup from 'yup';

import { RECORD_TYPES, SEVERITIES } from './patient-fields';

export const RECORD_LIMITS = {
  diagnosis: 500,
  treatment: 2000,
  medications: 2000,
  notes: 5000,
};

const text = (label, max) =>
  yup.string().trim().max(max, `${label} has at most ${max} characters.`);

export const recordSchema = yup.object({
  record_type: yup
    .string()
    .required('Choose the record type.')
    .oneOf(
      RECORD_TYPES.map((option) => option.value),
      'Choose the record type.',
    ),
  diagnosis: text('Diagnosis', RECORD_LIMITS.diagnosis).required(
    'Enter a diagnosis.',
  ),
  treatment: text('Treatment', RECORD_LIMITS.treatment),
  medications: text('Medications', RECORD_LIMITS.medications),
  notes: text('Notes', RECORD_LIMITS.notes),
  severity: yup
    .string()
    .required('Choose the severity.')
    .oneOf(
      SEVERITIES.map((option) => option.value),
      'Choose the severity.',
    ),
  sensitive: yup.boolean().default(false),
});

export const EMPTY_RECORD = {
  record_type: 'condition',
  diagnosis: '',
  treatment: '',
  medications: '',
  notes: '',
  severity: '',
  sensitive: false,
};

/** The POST body; optional text left empty is not sent. */
export function toRecordBody(values) {
  const body = {
    record_type: values.record_type,
    diagnosis: values.diagnosis,
    severity: values.severity,
    sensitive: Boolean(values.sensitive),
  };
  for (const key of ['treatment', 'medications', 'notes']) {
    if (values[key]) body[key] = values[key];
  }
  return body;
}
