/** Display helpers for the dates and labels the API sends. */

const dateFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** A calendar date (YYYY-MM-DD) shown as written, with no time-zone shift. */
export function formatDate(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!match) return value ?? '';
  const [, year, month, day] = match.map(Number);
  return dateFormat.format(new Date(Date.UTC(year, month - 1, day)));
}

/** An RFC 3339 timestamp shown in the reader's local time. */
export function formatDateTime(value) {
  if (!value) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? String(value) : dateTimeFormat.format(time);
}

/** "emergency_contact" becomes "Emergency contact". */
export function humanize(key) {
  const text = String(key).replace(/_/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
