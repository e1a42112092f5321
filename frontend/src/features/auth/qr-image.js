/**
 * The server's QR code is an SVG document. It is shown as an image from a
 * data URL, never inserted into the page as markup: an image cannot run
 * script or reach the page, whatever the document holds.
 */
export function svgDataUrl(svg) {
  if (typeof svg !== 'string' || !svg.includes('<svg')) return null;
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  bytes.forEach((byte) => {
    binary += String.fromCharCode(byte);
  });
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret) {
  return (secret ?? '').replace(/(.{4})/g, '$1 ').trim();
}
