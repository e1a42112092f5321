/**
 * Validation of a disclosure record: to whom, why, on which day (not in the
 * future) and what was disclosed. The server checks again.
 */
import * as yup from 'yup';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export const DISCLOSURE_LIMITS = {
  recipient: 200,
  purpose: 200,
  description: 1000,
};

function todayIso() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

function isRealDateNotAfterToday(value) {
  if (!value || !DATE_PATTERN.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day;
  return real && year >= 1900 && value <= todayIso();
}

const text = (label, max) =>
  yup.string().trim().max(max, `${label} has at most ${max} characters.`);

export const disclosureSchema = yup.object({
  recipient: text('Recipient', DISCLOSURE_LIMITS.recipient).required(
    'Enter who received the information.',
  ),
  purpose: text('Purpose', DISCLOSURE_LIMITS.purpose).required(
    'Enter why it was disclosed.',
  ),
  disclosed_at: yup
    .string()
    .required('Enter the date of the disclosure.')
    .test(
      'date',
      'Enter a real date (YYYY-MM-DD), today or earlier.',
      isRealDateNotAfterToday,
    ),
  description: text('Description', DISCLOSURE_LIMITS.description).required(
    'Describe what was disclosed.',
  ),
});

export function emptyDisclosure() {
  return {
    recipient: '',
    purpose: '',
    disclosed_at: todayIso(),
    description: '',
  };
}

export function toDisclosureBody(values) {
  return {
    recipient: values.recipient,
    purpose: values.purpose,
    disclosed_at: values.disclosed_at,
    description: values.description,
  };
}
