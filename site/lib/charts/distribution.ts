// The shared shape of the per-request distribution charts (TTFT, E2E, output rate): an empirical
// CDF per engine, all phases pooled, over a box plot per engine (per engine and phase when the run
// has several phases), the boxes from exact statistics of every value.
import type { ChartData, DistributionData, StatsRow } from './data.ts';
import { MAX_ROWS } from './data.ts';
import { list, num, plural } from './format.ts';
import type { ChartSpec, TableMeta } from './spec.ts';
import { engineColour, topLevel, valueScale, wantsLog, WIDTH } from './spec.ts';

export interface DistributionOptions {
  title: string;
  /** Lower-case name of the quantity, for the description: "time to first token". */
  what: string;
  /** Axis title with its unit: "Time to first token (ms)". */
  axisTitle: string;
  unit: string;
  better: 'lower' | 'higher';
}

export function distributionSpec(data: ChartData, dist: DistributionData, options: DistributionOptions): ChartSpec | null {
  if (dist.count === 0) return null;
  const multiPhase = dist.engines.some((e) => dist.phases.filter((p) => p.engine === e.engine).length > 1);
  const boxes = multiPhase ? dist.phases : dist.engines;
  const colour = engineColour(data.engines.filter((e) => dist.engines.some((s) => s.engine === e)));
  const y = {
    field: 'group',
    type: 'nominal' as const,
    title: multiPhase ? 'Engine · phase' : 'Engine',
    sort: boxes.map((b) => b.group),
    axis: { labelLimit: 200 },
  };
  const log = wantsLog(dist.engines.flatMap((s) => [s.min, s.max]));
  const axisTitle = log ? options.axisTitle.replace(/\)$/, ', log scale)') : options.axisTitle;
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: axisTitle, ...valueScale(log) });
  const table: TableMeta = {
    dataset: 'stats',
    columns: [
      { field: 'engine', title: 'Engine' },
      { field: 'phase', title: 'Phase' },
      { field: 'count', title: 'Requests' },
      ...(['min', 'q1', 'p50', 'q3', 'p90', 'p95', 'p99', 'max'] as const).map((field) => ({
        field,
        title: `${STAT_TITLES[field]} (${options.unit})`,
      })),
    ],
    caption: `Summary statistics of every measured value (warm-up excluded); the curves are thinned to at most ${Math.floor(MAX_ROWS / Math.max(1, data.engines.length))} points per engine.`,
  };
  return {
    ...topLevel({
      title: options.title,
      description: describe(data, dist, options, multiPhase),
      datasets: { ecdf: dist.ecdf, boxes, stats: multiPhase ? interleave(dist.engines, dist.phases) : dist.engines },
      table,
    }),
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: WIDTH,
        height: 240,
        data: { name: 'ecdf' },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: x('value'),
          y: { field: 'share', type: 'quantitative', title: 'Requests at or below (%)', scale: { domain: [0, 100] } },
          color: colour,
        },
      },
      {
        width: WIDTH,
        height: Math.max(60, 22 * boxes.length),
        data: { name: 'boxes' },
        layer: [
          { mark: { type: 'rule' }, encoding: { y, x: x('min'), x2: { field: 'max' }, color: colour } },
          { mark: { type: 'bar', size: 14 }, encoding: { y, x: x('q1'), x2: { field: 'q3' }, color: colour } },
          { mark: { type: 'tick', color: 'black', size: 14, thickness: 2 }, encoding: { y, x: x('p50') } },
        ],
      },
    ],
  };
}

const STAT_TITLES = { min: 'Min', q1: 'P25', p50: 'Median', q3: 'P75', p90: 'P90', p95: 'P95', p99: 'P99', max: 'Max' } as const;

/** Each engine's pooled row followed by its per-phase rows. */
function interleave(engines: StatsRow[], phases: StatsRow[]): StatsRow[] {
  return engines.flatMap((e) => [e, ...phases.filter((p) => p.engine === e.engine)]);
}

/** `c4 (concurrency 4)`, `r2 (2 requests/s)`: a phase with its load level, when the sweep data has one. */
function phaseName(data: ChartData, phase: string): string {
  const point = data.sweep.find((p) => p.phase === phase);
  if (point === undefined) return phase;
  return `${phase} (${point.loadKind === 'concurrency' ? `concurrency ${num(point.level)}` : `${num(point.level)} requests/s`})`;
}

/**
 * What the chart shows, in words. Medians are given per load level, never pooled across levels
 * (pooling mixes loads, so a "lowest median" over them compares nothing real), and no engine is
 * called fastest here: that takes the intervals, which the verdicts above the charts use.
 */
function describe(data: ChartData, dist: DistributionData, options: DistributionOptions, multiPhase: boolean): string {
  const value = (v: number): string => `${num(v)} ${options.unit}`;
  const missing = data.engines.filter((e) => !dist.engines.some((s) => s.engine === e));
  let numbers: string;
  if (multiPhase) {
    const phases = [...new Set(dist.phases.map((p) => p.phase))];
    numbers = `Median and p95 at each load level: ${phases
      .map((phase) => `${phaseName(data, phase)}: ${dist.phases.filter((p) => p.phase === phase).map((s) => `${s.engine} ${value(s.p50)} and ${value(s.p95)}`).join(', ')}`)
      .join('; ')}.`;
  } else {
    numbers = `Median and p95: ${dist.engines.map((s) => `${s.engine} ${value(s.p50)} and ${value(s.p95)}`).join('; ')}.`;
  }
  return [
    `Distribution of ${options.what} over ${plural(dist.count, 'successful request')} from ${plural(dist.engines.length, 'engine')}, warm-up excluded${multiPhase ? '; the curves pool every load level, the boxes are one per engine and load level' : ''}.`,
    numbers,
    `${options.better === 'lower' ? 'Lower' : 'Higher'} is better.`,
    missing.length > 0 ? `No values for ${list(missing)}.` : '',
    'Boxes span the 25th to 75th percentile with a tick at the median; whiskers reach the minimum and maximum.',
  ]
    .filter((s) => s !== '')
    .join(' ')
    .trim();
}
