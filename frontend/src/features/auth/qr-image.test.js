import { describe, expect, it } from 'vitest';

import { groupSecret, svgDataUrl } from './qr-image';

describe('svgDataUrl', () => {
  it('turns an SVG document into an image data URL', () => {
    const svg =
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(atob(url.split(',')[1])).toBe(svg);
  });

  it('refuses anything that is not an SVG document', () => {
    expect(svgDataUrl('<img src=x onerror=alert(1)>')).toBeNull();
    expect(svgDataUrl(undefined)).toBeNull();
  });
});

describe('groupSecret', () => {
  it('groups the secret by four characters', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});
