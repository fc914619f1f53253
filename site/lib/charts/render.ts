// Chart specs to static, accessible output: an SVG rendered at build time (no script on the
// page), a table alternative of the chart's data, and the standalone spec for download.
import * as vega from 'vega';
import { compile, version as vegaLiteVersion } from 'vega-lite';
import type { ChartSpec, TableMeta } from './spec.ts';
import { HEIGHT, WIDTH } from './spec.ts';
import { useTextWidths } from './text-width.ts';

export interface DataTable {
  caption: string | null;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Rows of the chart's data before the cap. */
  totalRows: number;
  truncated: boolean;
  /** Says what was left out when the table is capped, else null. */
  note: string | null;
}

/** The most rows a table alternative lists. */
export const TABLE_ROWS = 200;

type Json = Record<string, unknown>;

const COMPOSITIONS = ['vconcat', 'hconcat', 'concat'] as const;

/** A copy with a numeric width and height on every view, so every SVG has a fixed size. */
export function withFixedSize(spec: ChartSpec): ChartSpec {
  const copy = structuredClone(spec) as unknown as Json;
  fixSizes(copy);
  copy['autosize'] = { type: 'pad' };
  return copy as unknown as ChartSpec;
}

function fixSizes(node: Json): void {
  for (const key of COMPOSITIONS) {
    const children = node[key];
    if (Array.isArray(children)) {
      for (const child of children) fixSizes(child as Json);
      return;
    }
  }
  if (node['spec'] !== null && typeof node['spec'] === 'object') {
    fixSizes(node['spec'] as Json);
    return;
  }
  if ('mark' in node || 'layer' in node) {
    if (typeof node['width'] !== 'number') node['width'] = WIDTH;
    if (typeof node['height'] !== 'number') node['height'] = HEIGHT;
  }
}

export interface CompileResult {
  vega: vega.Spec;
  warnings: string[];
}

/** The Vega spec of a chart, with Vega-Lite's warnings collected instead of printed. */
export function compileSpec(spec: ChartSpec): CompileResult {
  const fixed = withFixedSize(spec) as unknown as Json;
  const datasets = (fixed['datasets'] ?? {}) as Record<string, unknown[]>;
  // Vega-Lite copies inline datasets into the Vega spec and otherwise ignores their values, so
  // the Vega spec of the same chart over other data is the one compiled without them, with the
  // values put back. Runs of one scenario and set of engines draw the same charts over other
  // data: each chart shape is compiled once per worker.
  const shape = { ...fixed, datasets: Object.fromEntries(Object.keys(datasets).map((name) => [name, []])) };
  const key = JSON.stringify(shape);
  let compiled = compiledShapes.get(key);
  if (compiled === undefined) {
    const warnings: string[] = [];
    compiled = { vega: compile(shape as unknown as ChartSpec, { logger: collectingLogger(warnings) }).spec, warnings };
    if (compiledShapes.size >= COMPILED_SHAPES) compiledShapes.delete(compiledShapes.keys().next().value!);
    compiledShapes.set(key, compiled);
  }
  const vegaSpec = structuredClone(compiled.vega);
  const named = new Set<string>();
  for (const entry of (vegaSpec.data ?? []) as Array<{ name: string; values?: unknown }>) {
    if (Object.hasOwn(datasets, entry.name) && Array.isArray(entry.values) && entry.values.length === 0) {
      entry.values = datasets[entry.name];
      named.add(entry.name);
    }
  }
  // A dataset Vega-Lite did not carry over as-is (none does today): compile it whole.
  if (Object.keys(datasets).some((name) => datasets[name]!.length > 0 && !named.has(name))) {
    const warnings: string[] = [];
    return { vega: compile(fixed as unknown as ChartSpec, { logger: collectingLogger(warnings) }).spec, warnings };
  }
  return { vega: vegaSpec, warnings: [...compiled.warnings] };
}

/** Compiled chart shapes kept per process: a site has a handful of shapes per scenario. */
const COMPILED_SHAPES = 64;
const compiledShapes = new Map<string, CompileResult>();

function collectingLogger(into: string[]): vega.LoggerInterface {
  let level = 2; // warnings and errors
  const logger: vega.LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level as never;
      level = value;
      return logger as never;
    },
    error(...args: readonly unknown[]) {
      into.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      into.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  return logger;
}

export interface RenderOptions {
  /** Prefix of the ids of the SVG's <title> and <desc>: unique on the page. */
  id?: string;
}

/** The chart as a standalone SVG with role="img", a <title> and a <desc> from the spec. */
export async function renderSvg(spec: ChartSpec, options: RenderOptions = {}): Promise<string> {
  useTextWidths();
  const { vega: compiled, warnings } = compileSpec(spec);
  const runtime = vega.parse(compiled);
  const view = new vega.View(runtime, { renderer: 'none', logger: collectingLogger(warnings) });
  try {
    // The whole SVG is one labelled image (role="img", <title>, <desc>, a data table beside it);
    // vega's per-mark ARIA roles inside it would be unlabelled noise to a screen reader.
    const svg = slimSvg(
      (await view.toSVG())
        .replace(/ role="graphics-(?:symbol|object|document)"| aria-roledescription="[^"]*"/g, '')
        // Coordinates to 1/100 px: invisible, and it keeps a run page's charts light.
        .replace(/(\d\.\d{2})\d+/g, '$1'),
    );
    return accessibleSvg(svg, titleOf(spec), descriptionOf(spec), options.id ?? 'chart');
  } finally {
    view.finalize();
  }
}

/**
 * Vega's SVG without what a static image does not use, about a quarter of its bytes: the hidden
 * foreground paths and pointer-events meant for interaction, class names (nothing styles them),
 * aria-hidden on parts of an image whose parts are presentational anyway (role="img"), the
 * default opacity="1" (opacity is not inherited), and one font-family on the root instead of on
 * every text when they all share it (font-family is inherited).
 */
export function slimSvg(svg: string): string {
  let out = svg
    .replace(/<path class="foreground"[^>]*display="none"[^>]*\/>/g, '')
    .replace(/ (?:class|aria-hidden|pointer-events)="[^"]*"/g, '')
    .replace(/ opacity="1"/g, '');
  const families = new Set([...out.matchAll(/ font-family="([^"]*)"/g)].map((m) => m[1]));
  if (families.size === 1) {
    const [family] = families;
    out = out.replaceAll(` font-family="${family}"`, '').replace(/^<svg\b/, `<svg font-family="${family}"`);
  }
  return out;
}

export function titleOf(spec: ChartSpec): string {
  const title = spec.title;
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.join(' ');
  if (title !== undefined && typeof title === 'object' && 'text' in title) {
    const text: unknown = title.text;
    if (typeof text === 'string') return text;
    if (Array.isArray(text)) return text.join(' ');
  }
  return 'Chart';
}

export function descriptionOf(spec: ChartSpec): string {
  return typeof spec.description === 'string' ? spec.description : '';
}

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function accessibleSvg(svg: string, title: string, description: string, id: string): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (open === null) throw new Error('vega did not render an <svg> element');
  const safeId = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
  const tag = open[0]
    .replace(/\s(role|aria-labelledby|aria-describedby)="[^"]*"/g, '')
    .replace(/>$/, ` role="img" aria-labelledby="${safeId}-title" aria-describedby="${safeId}-desc" style="max-width:100%;height:auto">`);
  const head = `<title id="${safeId}-title">${escapeXml(title)}</title><desc id="${safeId}-desc">${escapeXml(description)}</desc>`;
  return tag + head + svg.slice(open[0].length);
}

/** The chart's data as a table alternative: the dataset and columns the chart names, capped at maxRows. */
export function dataTable(spec: ChartSpec, maxRows = TABLE_ROWS): DataTable {
  const datasets = (spec.datasets ?? {}) as Record<string, Json[]>;
  const meta = (spec.usermeta?.['table'] ?? null) as TableMeta | null;
  const name = meta?.dataset ?? Object.keys(datasets)[0];
  const data = name !== undefined ? (datasets[name] ?? []) : [];
  const columns = meta?.columns ?? Object.keys(data[0] ?? {}).map((field) => ({ field, title: field }));
  const rows = data.slice(0, maxRows).map((row) => columns.map((c) => cell(row[c.field])));
  const truncated = data.length > maxRows;
  return {
    caption: meta?.caption ?? null,
    columns: columns.map((c) => c.title),
    rows,
    totalRows: data.length,
    truncated,
    note: truncated ? `Showing the first ${maxRows} of ${data.length} rows; the downloadable spec holds them all.` : null,
  };
}

function cell(value: unknown): string | number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return '';
}

/** The standalone Vega-Lite spec with its data inline and its fixed sizes, for download. */
export function specWithData(spec: ChartSpec): Json {
  const { usermeta: _usermeta, ...rest } = withFixedSize(spec) as unknown as Json;
  // $schema first, as the Vega editor and other tools expect; the version is Vega-Lite's major.
  const copy = { $schema: `https://vega.github.io/schema/vega-lite/v${vegaLiteVersion.split('.')[0]}.json`, ...rest };
  // Through JSON: what is downloaded is exactly what a JSON file can hold.
  return JSON.parse(JSON.stringify(copy)) as Json;
}
