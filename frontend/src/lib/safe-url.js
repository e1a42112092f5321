/**
 * Links built from data the server sent. A value becomes a link only when it
 * is plainly safe, so that no `javascript:` or `data:` address can ever be
 * placed in an href.
 */

/** The URL when it is an absolute http(s) address, otherwise null. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? url.href
      : null;
  } catch {
    return null;
  }
}

/**
 * The path when it stays on this site ("/patients/4"), otherwise null. Used
 * for the page to return to after signing in.
 */
export function sameOriginPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/')) return null;
  if (value.startsWith('//') || value.startsWith('/\\')) return null;
  try {
    const url = new URL(value, 'http://same.invalid');
    return url.origin === 'http://same.invalid' ? value : null;
  } catch {
    return null;
  }
}
