// The markup an inline chart SVG may hold. Chart SVGs are the only raw HTML on the site, and a
// run's charts come back from the derived-data cache (site/lib/derived/cache.ts), a directory that
// whoever can write the build's cache (a restored CI cache) can change. So before a cached SVG is
// put on a page it must be the kind of markup the charts module writes: elements and attributes
// from a fixed list, every attribute double-quoted, no event handler, no link, no style, no
// reference outside the SVG. Every "<" in the text must open such a tag, so nothing else (a
// <script>, a comment, CDATA, a closed </svg> followed by HTML) can hide between them.

/** Elements Vega's SVG renderer writes for the mark types the charts use (and a few neighbours). */
const ELEMENTS = new Set([
  'svg',
  'g',
  'title',
  'desc',
  'defs',
  'clipPath',
  'path',
  'rect',
  'line',
  'circle',
  'ellipse',
  'polygon',
  'polyline',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
]);

/** Presentation and accessibility attributes: none runs script, loads anything or sets a style. */
const ATTRIBUTES = new Set([
  'xmlns',
  'xmlns:xlink',
  'version',
  'id',
  'role',
  'aria-label',
  'aria-labelledby',
  'aria-describedby',
  'aria-hidden',
  'aria-roledescription',
  'viewBox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'd',
  'points',
  'transform',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'opacity',
  'clip-path',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'text-anchor',
  'dominant-baseline',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
  'gradientTransform',
  'clipPathUnits',
  'shape-rendering',
  'preserveAspectRatio',
]);

const TAKES_URL = new Set(['fill', 'stroke', 'clip-path']);

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][-A-Za-z0-9:]*="[^"]*")*)\s*\/?>/y;
const ATTRIBUTE = /\s+([A-Za-z][-A-Za-z0-9:]*)="([^"]*)"/g;

/** Why the text is not chart SVG markup the site may inline, or null when it is. */
export function svgMarkupProblem(svg: string): string | null {
  if (!/^<svg[\s>]/.test(svg)) return 'it does not start with an <svg> tag';
  for (let at = svg.indexOf('<'); at !== -1; at = svg.indexOf('<', TAG.lastIndex)) {
    TAG.lastIndex = at;
    const tag = TAG.exec(svg);
    if (tag === null) return `a "<" at offset ${at} does not open a tag with double-quoted attributes`;
    const element = tag[2]!;
    if (!ELEMENTS.has(element)) return `it holds a <${element}> element`;
    for (const [, name, value] of tag[3]!.matchAll(ATTRIBUTE)) {
      if (!ATTRIBUTES.has(name!)) return `<${element}> has a ${name} attribute`;
      // Of these, only paints and clip paths take a url(): url(#id) points inside the SVG; anything
      // else (or an entity that could spell one) would load something.
      if (TAKES_URL.has(name!) && (value!.includes('&') || (/url/i.test(value!) && !/^url\(#[A-Za-z0-9_-]+\)$/.test(value!)))) {
        return `<${element} ${name}> refers outside the SVG`;
      }
    }
  }
  return null;
}
