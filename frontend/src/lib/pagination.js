/** Page sizes offered by every paginated table; the server allows up to 100. */
export const PAGE_SIZES = Object.freeze([10, 25, 50, 100]);
export const DEFAULT_PAGE_SIZE = 25;
