import { describe, expect, it } from 'vitest';

import { ssoLoginHref } from '../features/auth/sso-buttons';

import { safeHttpUrl, sameOriginPath } from './safe-url';

describe('links built from data', () => {
  it.each([
    ['https://hospital.example/policy', 'https://hospital.example/policy'],
    ['http://intranet.example/a?b=c', 'http://intranet.example/a?b=c'],
    ['javascript:alert(1)', null],
    ['JAVASCRIPT:alert(1)', null],
    ['data:text/html,<b>x</b>', null],
    ['//evil.example/', null],
    ['/relative', null],
    ['', null],
    [null, null],
  ])('accepts only http(s) addresses: %s', (value, expected) => {
    expect(safeHttpUrl(value)).toBe(expected);
  });

  it.each([
    ['/patients/4?tab=records', '/patients/4?tab=records'],
    ['//evil.example/', null],
    ['/\\evil.example', null],
    ['https://evil.example/', null],
    ['patients', null],
  ])('keeps a return path on this site: %s', (value, expected) => {
    expect(sameOriginPath(value)).toBe(expected);
  });

  it('builds single sign-on links only from plain provider ids', () => {
    expect(ssoLoginHref('entra', '/patients')).toBe(
      '/api/auth/oidc/entra/login?return_to=%2Fpatients',
    );
    expect(ssoLoginHref('google', 'https://evil.example/')).toBe(
      '/api/auth/oidc/google/login?return_to=%2F',
    );
    expect(ssoLoginHref('../admin', '/')).toBeNull();
    expect(ssoLoginHref('javascript:alert(1)', '/')).toBeNull();
  });
});
