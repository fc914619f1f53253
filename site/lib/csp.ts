// The Content-Security-Policy every page carries in a <meta http-equiv>. No inline script and no
// inline <style> or style attribute: CSS is one linked file. Chart SVGs are inlined, and the charts
// module draws them with Vega's SVG renderer, which writes presentation attributes (fill, stroke,
// font-size), not style attributes, so `style-src 'self'` holds without 'unsafe-inline' (the build
// test checks that no page has a style attribute). Everything, data downloads included, is
// same-origin: no request leaves the site. frame-ancestors cannot be set from a meta tag; a
// host that wants it sends it as a header.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";
