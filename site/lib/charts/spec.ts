// What every chart spec shares: fixed sizes, a local-only configuration (no web fonts, no
// remote data: every dataset is inline), the engine colours, and the table meta-data that
// render.ts's dataTable reads. Engine labels and error kinds only ever enter a spec as data
// values, never as field names or expression text, since they come from untrusted run files.
import type { Config, TopLevelSpec } from 'vega-lite';
import { colours, ENGINE_PALETTE, ERROR_PALETTE } from './palette.ts';

export type ChartSpec = TopLevelSpec;

/** Plot width of every chart (px); heights are per chart. */
export const WIDTH = 560;
export const HEIGHT = 260;

/** Which dataset a chart's table alternative shows, and how its columns are titled. */
export interface TableMeta {
  dataset: string;
  columns: Array<{ field: string; title: string }>;
  /** Said above the table, e.g. that it summarises rather than lists the plotted points. */
  caption?: string;
}

export const CONFIG: Config = {
  aria: false,
  font: 'sans-serif',
  background: 'white',
  padding: 8,
  title: { anchor: 'start', fontSize: 14, fontWeight: 'bold', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6', labelColor: '#333', titleColor: '#222' },
  legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 11, titleFontSize: 11, labelLimit: 260, columns: 4 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#cccccc' },
  concat: { spacing: 24 },
};

export interface SpecParts {
  title: string;
  description: string;
  datasets: Record<string, object[]>;
  table: TableMeta;
}

/** The top-level properties every chart has: its title, summary, inline data and configuration. */
export function topLevel(parts: SpecParts) {
  return {
    title: parts.title,
    description: parts.description,
    datasets: parts.datasets as Record<string, Array<Record<string, unknown>>>,
    config: CONFIG,
    usermeta: { table: parts.table },
  };
}

/** Whether values spread so widely (30× or more, all positive) that a log scale reads better. */
export function wantsLog(values: readonly number[]): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min > 0 && max / min >= 30;
}

/** A quantitative scale, logarithmic when asked, and its axis-title suffix. */
export function valueScale(log: boolean) {
  return log ? { scale: { type: 'log' as const }, axis: { tickCount: 6 } } : { scale: { zero: false } };
}

/** Colour by engine label, in run order, with the fixed palette. */
export function engineColour(engines: readonly string[], legend = true) {
  return {
    field: 'engine',
    type: 'nominal' as const,
    title: 'Engine',
    scale: { domain: [...engines], range: colours(ENGINE_PALETTE, engines.length) },
    ...(legend ? {} : { legend: null }),
  };
}

export function errorKindColour(kinds: readonly string[]) {
  return {
    field: 'kind',
    type: 'nominal' as const,
    title: 'Error kind',
    scale: { domain: [...kinds], range: colours(ERROR_PALETTE, kinds.length) },
  };
}
