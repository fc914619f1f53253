// One series of comparable runs over time (site/lib/trends.ts): the headline numbers of each run
// (TTFT p50, E2E p95, output tokens/s of the engine's last phase) at its start time, one small
// panel per metric sharing the time axis. Lines join completed runs only; a failed, aborted or
// partial run is a point of its own shape and colour off the line, and a run with no number for
// a metric is a dashed vertical rule in that panel, so a bad run never reads as a regression.
// Every value axis starts at zero, so a 2 % change looks like 2 %, not like a cliff. Replicate
// runs (completed runs started within an hour of each other: one point, measured several times)
// get a shaded bar from their lowest to their highest value, the run-to-run noise at that point.
// The caption's change comes from trend-change.ts, as the Trends table's does, from unrounded
// numbers and per load level.
// Only run ids (URL-safe by the schema), timestamps, statuses and numbers enter the spec: no run
// name, model or label, so the downloadable spec holds no text from a run file.
import type { TrendPoint, TrendSeries } from '../trends.ts';
import { dateTime, signedPercent } from '../format.ts';
import { phaseChanges, type PhaseChange } from '../trend-change.ts';
import { list, ms, perS, plural } from './format.ts';
import { ENGINE_PALETTE, ERROR_PALETTE } from './palette.ts';
import type { ChartSpec } from './spec.ts';
import { topLevel, WIDTH } from './spec.ts';

/** The most runs one chart draws; longer series are thinned (and say so). */
export const MAX_TREND_POINTS = 1000;

/** Height of each metric's panel (px). */
const PANEL_HEIGHT = 110;

/** Completed runs started within this long of the first of their group are replicates of one point. */
export const REPLICATE_WINDOW_MS = 3_600_000;

/** How many run ids a description names before it says "and N more". */
const NAMED = 6;

type Status = TrendPoint['status'];

/** Fixed per status, in this order, so a status looks the same on every trend chart. */
const STATUS_STYLE: Record<Status, { shape: string; colour: string }> = {
  completed: { shape: 'circle', colour: ENGINE_PALETTE[0]! },
  failed: { shape: 'cross', colour: ERROR_PALETTE[0]! },
  aborted: { shape: 'triangle-down', colour: ERROR_PALETTE[1]! },
  partial: { shape: 'diamond', colour: ERROR_PALETTE[2]! },
};

type MetricField = 'ttftP50Ms' | 'e2eP95Ms' | 'outputTokensPerS';

interface Metric {
  field: MetricField;
  /** Axis title without its unit. */
  title: string;
  unit: string;
  /** As said in the description. */
  name: string;
  text: (value: number | null) => string;
}

export const TREND_METRICS: readonly Metric[] = [
  { field: 'ttftP50Ms', title: 'TTFT p50', unit: 'ms', name: 'TTFT p50', text: ms },
  { field: 'e2eP95Ms', title: 'E2E p95', unit: 'ms', name: 'E2E p95', text: ms },
  { field: 'outputTokensPerS', title: 'Output', unit: 'tokens/s', name: 'output', text: (v) => perS(v) },
];

/** One plotted run. */
export interface TrendRow {
  runId: string;
  startedAt: string;
  status: Status;
  ttftP50Ms: number | null;
  e2eP95Ms: number | null;
  outputTokensPerS: number | null;
}

const round2 = (value: number | null): number | null => (value === null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100);

function row(point: TrendPoint): TrendRow {
  const h = point.headline;
  return {
    runId: point.runId,
    startedAt: point.startedAt,
    status: point.status,
    ttftP50Ms: round2(h?.ttftP50Ms ?? null),
    e2eP95Ms: round2(h?.e2eP95Ms ?? null),
    outputTokensPerS: round2(h?.outputTokensPerS ?? null),
  };
}

/**
 * At most `max` points, oldest first: all of them when they fit, else the first, the last, every
 * run that did not complete (while they take at most half the room) and, for the rest of the room,
 * the middle run of each of as many equal stretches of the remaining runs.
 */
export function thinPoints<T extends { status: Status }>(points: readonly T[], max = MAX_TREND_POINTS): T[] {
  if (points.length <= max) return [...points];
  const keep = new Set<number>([0, points.length - 1]);
  const bad = points.flatMap((p, i) => (p.status === 'completed' ? [] : [i]));
  if (keepsEveryIncomplete(bad.length, max)) for (const i of bad) keep.add(i);
  const rest = points.map((_, i) => i).filter((i) => !keep.has(i));
  const room = max - keep.size;
  for (let k = 0; k < room; k++) keep.add(rest[Math.floor(((k + 0.5) * rest.length) / room)]!);
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

/** Whether thinning keeps every run that did not complete: when they take at most half the room. */
function keepsEveryIncomplete(count: number, max = MAX_TREND_POINTS): boolean {
  return count + 2 <= max / 2;
}

/** One metric's spread over the replicate runs of one point. */
export interface NoiseBand {
  metric: MetricField;
  /** Start times of the group's first and last run. */
  from: string;
  to: string;
  low: number;
  high: number;
  runs: number;
}

/**
 * The min–max band of each group of replicate runs (completed runs, in time order, started within
 * REPLICATE_WINDOW_MS of the group's first), per metric with two values or more in the group.
 */
export function noiseBands(rows: readonly TrendRow[]): NoiseBand[] {
  const groups: TrendRow[][] = [];
  for (const r of rows.filter((r) => r.status === 'completed')) {
    const group = groups.at(-1);
    if (group !== undefined && Date.parse(r.startedAt) - Date.parse(group[0]!.startedAt) <= REPLICATE_WINDOW_MS) group.push(r);
    else groups.push([r]);
  }
  return groups.flatMap((group) =>
    TREND_METRICS.flatMap((m) => {
      const values = group.flatMap((r) => (r[m.field] === null ? [] : [r[m.field]!]));
      if (values.length < 2) return [];
      return [{ metric: m.field, from: group[0]!.startedAt, to: group.at(-1)!.startedAt, low: Math.min(...values), high: Math.max(...values), runs: values.length }];
    }),
  );
}

function noiseText(bands: readonly NoiseBand[]): string {
  if (bands.length === 0) return 'No noise band: one run per point.';
  const points = new Set(bands.map((b) => b.from)).size;
  return `The shaded bar at ${plural(points, 'point')} is the noise band: it spans the lowest to the highest value of that point's replicate runs (completed runs started within an hour of each other).`;
}

function named(ids: readonly string[]): string {
  return ids.length <= NAMED ? list(ids) : `${ids.slice(0, NAMED).join(', ')} and ${ids.length - NAMED} more`;
}

function describe(all: readonly TrendRow[], shown: readonly TrendRow[], metrics: readonly Metric[], latestChange: PhaseChange | undefined, bands: readonly NoiseBand[]): string {
  const first = all[0]!;
  const last = all[all.length - 1]!;
  const notCompleted = all.filter((r) => r.status !== 'completed');
  const completed = all.filter((r) => r.status === 'completed' && metrics.some((m) => r[m.field] !== null));
  const latest = completed.at(-1);
  const none = all.filter((r) => metrics.every((m) => r[m.field] === null)).map((r) => r.runId);
  const missing = [
    ...(none.length === 0 ? [] : [`no numbers at all for ${named(none)}`]),
    ...metrics.flatMap((m) => {
      const ids = all.filter((r) => r[m.field] === null && !none.includes(r.runId)).map((r) => r.runId);
      return ids.length === 0 ? [] : [`no ${m.name} for ${named(ids)}`];
    }),
  ];
  const changes =
    latestChange === undefined || latestChange.runId !== latest?.runId
      ? []
      : metrics.flatMap((m) => {
          const change = latestChange.change[m.field];
          return change === null ? [] : [`${m.name} ${signedPercent(change)}`];
        });
  const against =
    latestChange?.previousRunId == null || latestChange.runId !== latest?.runId
      ? '; no earlier completed run has its last load level, so no change is given'
      : changes.length > 0
        ? `; against ${latestChange.previousRunId}, the completed run before it at the same load level: ${changes.join(', ')}`
        : '';
  return [
    `Headline numbers of ${plural(all.length, 'run')} of this engine and scenario, ${dateTime(first.startedAt)} to ${dateTime(last.startedAt)}, one point per run at its start time: ${list(metrics.map((m) => `${m.name} (${m.unit})`))} of the engine's last phase.`,
    shown.length < all.length
      ? `${shown.length} of the ${all.length} runs are drawn, thinned evenly keeping the first, the last${keepsEveryIncomplete(notCompleted.length) ? ' and every run that did not complete' : ''}; the series table on the Trends page lists them all.`
      : '',
    'Lines join completed runs only.',
    notCompleted.length > 0
      ? `${plural(notCompleted.length, 'run')} did not complete, drawn as marks of their own off the line: ${named(notCompleted.map((r) => `${r.runId} (${r.status})`))}.`
      : 'Every run completed.',
    missing.length > 0 ? `A dashed vertical line in its status colour marks a run without a number: ${missing.join('; ')}.` : '',
    latest
      ? `Latest completed run ${latest.runId}: ${metrics.map((m) => `${m.name} ${m.text(latest[m.field])}`).join(', ')}${against}.`
      : 'No run of this series completed.',
    noiseText(bands),
    'Every value axis starts at zero.',
  ]
    .filter((s) => s !== '')
    .join(' ');
}

/** The series' trend chart, or null when it has fewer than two runs or no run has numbers. */
export function trendSpec(series: Pick<TrendSeries, 'points'>): ChartSpec | null {
  if (series.points.length < 2) return null;
  const all = series.points.map(row);
  // The headline is the last phase: the caption gives the change at that load level.
  const latestPoint = series.points.filter((p) => p.status === 'completed' && p.headline !== null).at(-1);
  const latestChange = phaseChanges(series.points).find((c) => c.phase === latestPoint?.headline?.phase);
  const bands = noiseBands(all);
  // A panel per metric that some run has a number for.
  const metrics = TREND_METRICS.filter((m) => all.some((r) => r[m.field] !== null));
  if (metrics.length === 0) return null;
  const runs = thinPoints(all);
  const statuses = (Object.keys(STATUS_STYLE) as Status[]).filter((s) => runs.some((r) => r.status === s));
  const spanMs = Date.parse(runs[runs.length - 1]!.startedAt) - Date.parse(runs[0]!.startedAt);
  // Dates alone once the runs span days; with the time of day when they are close together.
  const days = spanMs >= 2 * 86_400_000;
  const ticks = days ? { format: '%Y-%m-%d', tickMinStep: 86_400_000 } : { format: '%m-%d %H:%M' };
  const legend = { title: 'Run status' };
  // Smaller marks as runs crowd the axis.
  const size = runs.length > 300 ? 14 : runs.length > 60 ? 28 : 50;
  const shape = { field: 'status', type: 'nominal' as const, scale: { domain: statuses, range: statuses.map((s) => STATUS_STYLE[s].shape) }, legend };
  const colour = { field: 'status', type: 'nominal' as const, scale: { domain: statuses, range: statuses.map((s) => STATUS_STYLE[s].colour) }, legend };
  const panels = metrics.map((m, i) => {
    const bottom = i === metrics.length - 1;
    const x = {
      field: 'startedAt',
      type: 'temporal' as const,
      title: bottom ? 'Run start time (UTC)' : null,
      scale: { type: 'utc' as const, padding: 12, nice: false },
      axis: bottom ? { ...ticks, labelOverlap: true } : { ...ticks, labels: false, ticks: false },
    };
    // Linear from zero, never log or zoomed in: the height of a point is its value.
    const y = { field: m.field, type: 'quantitative' as const, title: `${m.title} (${m.unit})`, scale: { zero: true, nice: true } };
    const has = `isValid(datum.${m.field})`;
    const band = bands.some((b) => b.metric === m.field)
      ? [
          {
            data: { name: 'bands' },
            transform: [{ filter: `datum.metric === '${m.field}'` }],
            // From the group's first run to its last, widened a little: replicates minutes apart
            // on an axis of days would otherwise be a hairline. The height is exact.
            mark: { type: 'rect' as const, color: STATUS_STYLE.completed.colour, opacity: 0.35, xOffset: -6, x2Offset: 6 },
            encoding: {
              x: { ...x, field: 'from' },
              x2: { field: 'to' },
              y: { field: 'low', type: 'quantitative' as const, title: y.title, scale: y.scale },
              y2: { field: 'high' },
            },
          },
        ]
      : [];
    return {
      width: WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        ...band,
        {
          transform: [{ filter: `!${has}` }],
          mark: { type: 'rule' as const, strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: { x, color: colour },
        },
        {
          transform: [{ filter: `${has} && datum.status === 'completed'` }],
          mark: { type: 'line' as const, color: STATUS_STYLE.completed.colour, strokeWidth: 1.5 },
          encoding: { x, y },
        },
        // Runs that did not complete are drawn last, so a crowd of completed runs cannot hide them.
        ...[
          { which: `datum.status === 'completed'`, size },
          { which: `datum.status !== 'completed'`, size: Math.max(size, 40) },
        ].map(({ which, size }) => ({
          transform: [{ filter: `${has} && ${which}` }],
          mark: { type: 'point' as const, filled: true, size, opacity: 1 },
          encoding: { x, y, shape, color: colour },
        })),
      ],
    };
  });
  return {
    ...topLevel({
      title: 'Headline numbers over time',
      description: describe(all, runs, metrics, latestChange, bands),
      datasets: bands.length > 0 ? { runs, bands } : { runs },
      table: {
        dataset: 'runs',
        columns: [
          { field: 'startedAt', title: 'Run start' },
          { field: 'runId', title: 'Run' },
          { field: 'status', title: 'Status' },
          ...metrics.map((m) => ({ field: m.field, title: `${m.title} (${m.unit})` })),
        ],
        caption: runs.length < all.length ? `The plotted runs: ${runs.length} of ${all.length}.` : 'Every run of the series.',
      },
    }),
    data: { name: 'runs' },
    vconcat: panels,
    spacing: 10,
    resolve: { scale: { x: 'shared', shape: 'shared', color: 'shared' } },
  };
}
