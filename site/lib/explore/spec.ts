// What the explore page adds to a chart's downloadable Vega-Lite spec before drawing it: tooltips
// and zoom/pan. Pure JSON in, JSON out, so the build test can compile every chart kind in Node;
// no Node or DOM import, since the page's script bundles it for the browser.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectOr = (value: unknown): Json => (isObject(value) ? value : {});

/** Zoom and pan need a scale that maps numbers to pixels: quantitative or temporal, not bins Vega-Lite computes. */
function continuous(encoding: Json, channel: 'x' | 'y'): boolean {
  const def = encoding[channel];
  if (!isObject(def) || (def.type !== 'quantitative' && def.type !== 'temporal')) return false;
  // `bin: "binned"` (bars binned by the charts module) keeps a linear scale, which zooms.
  return def.bin === undefined || def.bin === false || def.bin === 'binned';
}

const bothContinuous = (encoding: Json): boolean => continuous(encoding, 'x') && continuous(encoding, 'y');

/**
 * The view with `param` on its first unit that `accepts` (the unit's encoding merged over its
 * layer's), or null when none does. One unit per view: a layer's units share their scales, and
 * two scale bindings on one scale would fight. Inside a facet the spec is the unit: its cells
 * share their scales, so they zoom together.
 */
function withParam(view: Json, param: Json, accepts: (encoding: Json) => boolean, inherited: Json = {}): Json | null {
  if ('facet' in view && isObject(view.spec)) {
    const spec = withParam(view.spec, param, accepts);
    return spec && { ...view, spec };
  }
  const encoding = { ...inherited, ...objectOr(view.encoding) };
  if (Array.isArray(view.layer)) {
    const layer: unknown[] = view.layer;
    for (let i = 0; i < layer.length; i++) {
      const child = layer[i];
      const done = isObject(child) ? withParam(child, param, accepts, encoding) : null;
      if (done) return { ...view, layer: layer.map((c, j) => (j === i ? done : c)) };
    }
    return null;
  }
  if (!('mark' in view) || !accepts(encoding)) return null;
  return { ...view, params: [...(Array.isArray(view.params) ? view.params : []), param] };
}

/**
 * The spec with an interval selection bound to the scales (drag to pan, wheel to zoom). A single
 * view zooms in x and y. Concatenated views that share their x scale get one selection over x
 * only, on every view that plots the same x field, so they pan together: a selection projects
 * fields, so a view plotting another field on that axis (the box plot under an ECDF) follows
 * without being draggable, and their y scales are their own (one y selection would force the same
 * range on all). Views with their own x scale each get their own selection.
 */
function withZoom(spec: Json): Json {
  const key = (['vconcat', 'hconcat', 'concat'] as const).find((k) => Array.isArray(spec[k]));
  const both = { select: 'interval', bind: 'scales' };
  if (key === undefined) return withParam(spec, { name: 'zoom', ...both }, bothContinuous) ?? spec;
  const views = spec[key] as unknown[];
  const xShared = objectOr(objectOr(spec.resolve).scale).x === 'shared';
  if (!xShared) return { ...spec, [key]: views.map((v, i) => (isObject(v) ? (withParam(v, { name: `zoom${i + 1}`, ...both }, bothContinuous) ?? v) : v)) };
  let field: unknown;
  const sameX = (encoding: Json): boolean => {
    if (!continuous(encoding, 'x')) return false;
    const xField = objectOr(encoding.x).field;
    field ??= xField; // the first view with a continuous x sets the field the others must share
    return xField === field;
  };
  const param = { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' };
  return { ...spec, [key]: views.map((v) => (isObject(v) ? (withParam(v, param, sameX) ?? v) : v)) };
}

/**
 * The spec as the explore page draws it: zoomable, with a tooltip on every mark but lines (a
 * line is one path, so its tooltip would name only its first point), and without `usermeta`:
 * vega-embed takes embed options (a loader, a config URL to fetch) from `usermeta.embedOptions`,
 * and a spec is data that must not configure the code that draws it. Marks are hidden from
 * assistive technology, as in the report's SVGs: Vega labels the chart as a whole with the spec's
 * description, and a role per mark without a label would be noise (axe flags it).
 */
export function interactiveSpec(spec: Json): Json {
  const { usermeta: _usermeta, ...rest } = spec;
  const config = objectOr(rest.config);
  return {
    ...withZoom(rest),
    config: { ...config, mark: { ...objectOr(config.mark), tooltip: true, aria: false }, line: { ...objectOr(config.line), tooltip: false } },
  };
}
