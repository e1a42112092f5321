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

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The time alone when `value` falls on the same local day as `since`. */
export function formatTimeAfter(value, since) {
  const time = Date.parse(value ?? '');
  const start = Date.parse(since ?? '');
  if (Number.isNaN(time)) return '';
  const sameDay =
    !Number.isNaN(start) &&
    new Date(time).toDateString() === new Date(start).toDateString();
  return sameDay ? timeFormat.format(time) : dateTimeFormat.format(time);
}

/** "emergency_contact" becomes "Emergency contact". */
export function humanize(key) {
  const text = String(key).replace(/_/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Seconds left shown as a clock: "4:05", or "1:02:03" past an hour. */
export function formatCountdown(totalSeconds) {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  if (hours > 0) {
    return `${hours}:${String(minutes).padStart(2, '0')}:${rest}`;
  }
  return `${minutes}:${rest}`;
}

/** A length of time in words: "20 seconds", "15 minutes", "1 hour". */
export function formatDurationWords(totalSeconds) {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const plural = (count, unit) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds < 120) return plural(seconds, 'second');
  if (seconds < 7200) return plural(Math.round(seconds / 60), 'minute');
  return plural(Math.round(seconds / 3600), 'hour');
}
