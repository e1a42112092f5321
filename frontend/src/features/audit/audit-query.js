/**
 * The audit viewer's filters, sort and page live in the address, so a view
 * can be reloaded, shared with a colleague or returned to with Back.
 */
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';

export const SORT_COLUMNS = [
  'timestamp',
  'id',
  'action',
  'user_id',
  'patient_id',
  'outcome',
];

export const FILTER_KEYS = [
  'user_id',
  'patient_id',
  'action',
  'outcome',
  'emergency',
  'from',
  'to',
];

const OUTCOMES = ['allowed', 'denied', 'failed'];
const ID_PATTERN = /^[1-9]\d{0,17}$/;

function cleanFilter(key, value) {
  if (!value) return '';
  if (key === 'user_id' || key === 'patient_id') {
    return ID_PATTERN.test(value) ? value : '';
  }
  if (key === 'outcome') return OUTCOMES.includes(value) ? value : '';
  if (key === 'emergency')
    return ['true', 'false'].includes(value) ? value : '';
  if (key === 'from' || key === 'to') {
    return Number.isNaN(Date.parse(value)) ? '' : value;
  }
  return value.slice(0, 100);
}

export function readAuditQuery(params) {
  const page = Number.parseInt(params.get('page'), 10);
  const pageSize = Number.parseInt(params.get('page_size'), 10);
  const sort = params.get('sort');
  const filters = Object.fromEntries(
    FILTER_KEYS.map((key) => [key, cleanFilter(key, params.get(key))]),
  );
  return {
    filters,
    page: page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    sort: SORT_COLUMNS.includes(sort) ? sort : 'timestamp',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

/** Only the filters that are set, as the API's query parameters. */
export function activeFilters(filters) {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== ''),
  );
}

export function writeAuditQuery(query) {
  return {
    ...activeFilters(query.filters),
    page: String(query.page),
    page_size: String(query.pageSize),
    sort: query.sort,
    order: query.order,
  };
}

export function toApiParams(query) {
  return {
    ...activeFilters(query.filters),
    sort: query.sort,
    order: query.order,
    page: query.page,
    page_size: query.pageSize,
  };
}

/** "2026-12-01T09:30" typed in local time, as RFC 3339 in UTC. */
export function localInputToUtc(value) {
  if (!value) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}

/** The reverse, for showing a UTC filter in a datetime-local input. */
export function utcToLocalInput(value) {
  const time = Date.parse(value ?? '');
  if (Number.isNaN(time)) return '';
  const local = new Date(time - new Date(time).getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

/** The live view filters what is being written; it has no time range. */
export const LIVE_FILTER_KEYS = FILTER_KEYS.filter(
  (key) => key !== 'from' && key !== 'to',
);

export function readLiveFilters(params) {
  return Object.fromEntries(
    LIVE_FILTER_KEYS.map((key) => [key, cleanFilter(key, params.get(key))]),
  );
}

/** The live feed's path under the API, with the filters that are set. */
export function liveFeedPath(filters) {
  const query = new URLSearchParams(activeFilters(filters)).toString();
  return query ? `/audit/events?${query}` : '/audit/events';
}
