// Everything the charts of one run draw, derived once from run.json and the raw records, and cut
// down so a page stays light whatever the run's size: each chart gets at most about MAX_ROWS rows
// (a deterministic thinning that always keeps the extremes), numbers are rounded to 0.1 ms.
// Warm-up requests are left out everywhere: they measure start-up, not the load being studied.
import { quantileSorted } from 'd3-array';
import { summarize } from '../../../collector/metrics/distribution.ts';
import { requestMetrics } from '../../../collector/metrics/request-metrics.ts';
import type { RequestRecord, Run, Verdict } from '../../../collector/store/schema/index.ts';
import { niceStep, num, round1, roundS } from './format.ts';

/** The most rows any one chart carries. */
export const MAX_ROWS = 600;

/** The phase label of statistics pooled over every phase of an engine. */
export const ALL_PHASES = 'all phases';

/** An objective the sweep chart can draw: on a latency and percentile it plots (TTFT or E2E, p50 or p95). */
export interface SloRule {
  metric: 'ttft' | 'e2e';
  stat: 'p50' | 'p95';
  ms: number;
  /** `SLO: TTFT p95 < 100 ms`. */
  label: string;
}

/** The run's objectives as the charts use them: rules to draw, and every objective's text. */
export interface Slo {
  /** False when the run set no SLO. */
  set: boolean;
  rules: SloRule[];
  /** Every objective, normalised (`ttft:p95<100ms`), drawn or not. */
  objectives: string[];
}

/** One measured request (warm-up excluded), times in seconds from the run's clock origin. */
export interface RequestRow {
  engine: string;
  phase: string;
  sentS: number;
  ttftMs: number | null;
  e2eMs: number | null;
  outputTokensPerS: number | null;
  status: 'ok' | 'error';
  errorKind: string | null;
}

/** A point of an empirical CDF: `share` percent of the engine's values are at or below `value`. */
export interface EcdfRow {
  engine: string;
  value: number;
  share: number;
}

/** Summary statistics of one engine (`phase` = ALL_PHASES) or one engine in one phase. */
export interface StatsRow {
  engine: string;
  phase: string;
  /** "engine" or "engine · phase": the box plot's category. */
  group: string;
  count: number;
  min: number;
  q1: number;
  p50: number;
  q3: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface DistributionData {
  /** Thinned ECDF of every engine, all phases pooled. */
  ecdf: EcdfRow[];
  /** Exact statistics per engine, all phases pooled (from every value, not the thinned ones). */
  engines: StatsRow[];
  /** Exact statistics per engine and phase, in run order. */
  phases: StatsRow[];
  count: number;
}

export interface ItlBin {
  engine: string;
  startMs: number;
  endMs: number;
  count: number;
  /** Percent of the engine's gaps in this bin. */
  share: number;
}

export interface ItlData {
  bins: ItlBin[];
  engines: StatsRow[];
  binMs: number;
  /** Gaps above this are not binned (the long tail); `beyond` counts them per engine. */
  upperMs: number;
  beyond: Array<{ engine: string; count: number }>;
  count: number;
}

export interface TimelineData {
  /** Measured requests with a TTFT, thinned per engine. */
  points: Array<{ engine: string; phase: string; sentS: number; ttftMs: number }>;
  /** Median TTFT of each engine's last `window` requests, at each request's send time. */
  median: Array<{ engine: string; sentS: number; medianMs: number }>;
  window: number;
}

export interface ErrorBin {
  engine: string;
  kind: string;
  startS: number;
  endS: number;
  count: number;
}

export interface ErrorData {
  bins: ErrorBin[];
  totals: Array<{ engine: string; kind: string; count: number }>;
  /** Error kinds, most frequent first. */
  kinds: string[];
  binS: number;
  /** The run's measured span (first send to last end), bin-aligned, for the time axis. */
  spanS: [number, number];
  failed: number;
  total: number;
}

export type LoadKind = 'concurrency' | 'rate';

/** One engine at one load level (a phase), from the phase summaries. */
export interface SweepPoint {
  engine: string;
  phase: string;
  loadKind: LoadKind;
  level: number;
  requestsPerS: number;
  outputTokensPerS: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  e2eP50Ms: number | null;
  e2eP95Ms: number | null;
  ok: number;
  failed: number;
  /** The phase's verdict on every objective together; null when the run set no SLO. */
  verdict: Verdict | null;
}

export type ServerSeriesName = 'running' | 'waiting' | 'kvCacheUsage';

export interface ServerPoint {
  engine: string;
  phase: string;
  series: ServerSeriesName;
  tS: number;
  /** Requests for running/waiting; percent (0–100) for kvCacheUsage. */
  value: number;
}

export interface ChartData {
  runId: string;
  runName: string;
  /** Engine labels in run order (the colour order). */
  engines: string[];
  slo: Slo;
  /** Measured requests, thinned per engine (extremes of TTFT, E2E and output rate kept). */
  requests: RequestRow[];
  /** Measured requests before thinning. */
  requestCount: number;
  ttft: DistributionData;
  e2e: DistributionData;
  outputRate: DistributionData;
  itl: ItlData;
  timeline: TimelineData;
  errors: ErrorData;
  sweep: SweepPoint[];
  server: ServerPoint[];
}

/**
 * At most `max` items, in their order: every k-th item, the first and the last, and the items
 * holding the minimum and the maximum of each key. Deterministic; a short list is returned whole.
 */
export function downsample<T>(items: readonly T[], max: number, keys: ReadonlyArray<(item: T) => number | null> = []): T[] {
  if (items.length <= max) return [...items];
  const keep = new Set<number>([0, items.length - 1]);
  for (const key of keys) {
    let lo = -1;
    let hi = -1;
    let loValue = Number.POSITIVE_INFINITY;
    let hiValue = Number.NEGATIVE_INFINITY;
    items.forEach((item, i) => {
      const value = key(item);
      if (value === null || !Number.isFinite(value)) return;
      if (value < loValue) [lo, loValue] = [i, value];
      if (value > hiValue) [hi, hiValue] = [i, value];
    });
    if (lo >= 0) keep.add(lo);
    if (hi >= 0) keep.add(hi);
  }
  const budget = Math.max(1, max - keep.size);
  const stride = Math.ceil(items.length / budget);
  for (let i = 0; i < items.length; i += stride) keep.add(i);
  return [...keep].sort((a, b) => a - b).map((i) => items[i]!);
}

const RULE_METRIC_NAMES = { ttft: 'TTFT', e2e: 'E2E' } as const;

/** The run's objectives: those on TTFT or E2E at p50 or p95 (what the sweep plots) become rules. */
export function sloOf(run: Pick<Run, 'slo'>): Slo {
  if (run.slo === null) return { set: false, rules: [], objectives: [] };
  const rules: SloRule[] = [];
  for (const o of run.slo.objectives) {
    if ((o.metric !== 'ttft' && o.metric !== 'e2e') || (o.stat !== 'p50' && o.stat !== 'p95')) continue;
    rules.push({ metric: o.metric, stat: o.stat, ms: o.value, label: `SLO: ${RULE_METRIC_NAMES[o.metric]} ${o.stat} ${o.op} ${num(o.value)} ms` });
  }
  return { set: true, rules, objectives: run.slo.objectives.map((o) => o.text) };
}

/** A phase's load level: users in flight or offered requests/s; null for ramps and unknown shapes. */
export function loadLevel(load: { shape: string } & Record<string, unknown>): { kind: LoadKind; level: number } | null {
  const positive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (load.shape === 'sequential') return { kind: 'concurrency', level: 1 };
  if (load.shape === 'ramp') return null;
  if (positive(load['concurrency'])) return { kind: 'concurrency', level: load['concurrency'] };
  if (positive(load['rate'])) return { kind: 'rate', level: load['rate'] };
  return null;
}

interface Measured {
  engine: string;
  phase: string;
  sentMs: number;
  doneMs: number;
  ttftMs: number | null;
  e2eMs: number | null;
  outputTokensPerS: number | null;
  itlMs: number[];
  status: 'ok' | 'error';
  errorKind: string | null;
}

export interface ChartDataBuilder {
  add(record: RequestRecord): void;
  finish(): ChartData;
}

/** Folds records in one at a time (only their derived numbers are kept), for streamed reading. */
export function chartDataBuilder(run: Run): ChartDataBuilder {
  const measured: Measured[] = [];
  return {
    add(record) {
      if (record.warmup) return;
      const ok = record.status === 'ok';
      const metrics = ok ? requestMetrics(record) : null;
      measured.push({
        engine: record.engine,
        phase: record.phase,
        sentMs: record.sentMs,
        doneMs: record.sentMs + (record.endMs ?? 0),
        ttftMs: metrics?.ttftMs ?? null,
        e2eMs: metrics?.e2eMs ?? null,
        outputTokensPerS: metrics?.outputTokensPerS ?? null,
        itlMs: metrics?.itlMs ?? [],
        status: ok ? 'ok' : 'error',
        errorKind: ok ? null : (record.error?.kind ?? 'unknown'),
      });
    },
    finish: () => build(run, measured),
  };
}

export function chartData(run: Run, records: Iterable<RequestRecord>): ChartData {
  const builder = chartDataBuilder(run);
  for (const record of records) builder.add(record);
  return builder.finish();
}

export async function chartDataAsync(run: Run, records: Iterable<RequestRecord> | AsyncIterable<RequestRecord>): Promise<ChartData> {
  const builder = chartDataBuilder(run);
  for await (const record of records) builder.add(record);
  return builder.finish();
}

function build(run: Run, measured: Measured[]): ChartData {
  const engines = run.engines.map((e) => e.label);
  for (const m of measured) if (!engines.includes(m.engine)) engines.push(m.engine);
  const phaseOrder = new Map<string, string[]>();
  for (const engine of engines) phaseOrder.set(engine, run.engines.find((e) => e.label === engine)?.phases.map((p) => p.name) ?? []);
  for (const m of measured) {
    const phases = phaseOrder.get(m.engine)!;
    if (!phases.includes(m.phase)) phases.push(m.phase);
  }
  // Stable order everywhere: engine (run order), then send time.
  const engineIndex = new Map(engines.map((e, i) => [e, i]));
  measured.sort((a, b) => engineIndex.get(a.engine)! - engineIndex.get(b.engine)! || a.sentMs - b.sentMs);
  const byEngine = new Map<string, Measured[]>(engines.map((e) => [e, []]));
  for (const m of measured) byEngine.get(m.engine)!.push(m);
  const perEngineCap = Math.floor(MAX_ROWS / Math.max(1, engines.length));

  const requests: RequestRow[] = [];
  for (const engine of engines) {
    const rows = byEngine.get(engine)!.map(
      (m): RequestRow => ({
        engine: m.engine,
        phase: m.phase,
        sentS: roundS(m.sentMs / 1000),
        ttftMs: roundOrNull(m.ttftMs),
        e2eMs: roundOrNull(m.e2eMs),
        outputTokensPerS: roundOrNull(m.outputTokensPerS),
        status: m.status,
        errorKind: m.errorKind,
      }),
    );
    requests.push(...downsample(rows, perEngineCap, [(r) => r.ttftMs, (r) => r.e2eMs, (r) => r.outputTokensPerS]));
  }

  const metric = (pick: (m: Measured) => number | null): DistributionData => distribution(engines, phaseOrder, byEngine, pick, perEngineCap);

  return {
    runId: run.id,
    runName: run.name,
    engines,
    slo: sloOf(run),
    requests,
    requestCount: measured.length,
    ttft: metric((m) => m.ttftMs),
    e2e: metric((m) => m.e2eMs),
    outputRate: metric((m) => m.outputTokensPerS),
    itl: itlData(engines, byEngine),
    timeline: timelineData(engines, byEngine, perEngineCap),
    errors: errorData(engines, measured),
    sweep: sweepPoints(run),
    server: serverPoints(run, engines),
  };
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round1(value);
}

function sortedValues(values: Iterable<number | null>): number[] {
  const out: number[] = [];
  for (const value of values) if (value !== null && Number.isFinite(value)) out.push(value);
  return out.sort((a, b) => a - b);
}

function stats(engine: string, phase: string, group: string, sorted: number[]): StatsRow | null {
  if (sorted.length === 0) return null;
  const s = summarize(sorted);
  const q = (p: number): number => round1(quantileSorted(sorted, p) ?? Number.NaN);
  return {
    engine,
    phase,
    group,
    count: s.count,
    min: round1(s.min!),
    q1: q(0.25),
    p50: round1(s.p50!),
    q3: q(0.75),
    p90: round1(s.p90!),
    p95: round1(s.p95!),
    p99: round1(s.p99!),
    max: round1(s.max!),
    mean: round1(s.mean!),
  };
}

function distribution(
  engines: string[],
  phaseOrder: Map<string, string[]>,
  byEngine: Map<string, Measured[]>,
  pick: (m: Measured) => number | null,
  perEngineCap: number,
): DistributionData {
  const ecdf: EcdfRow[] = [];
  const engineStats: StatsRow[] = [];
  const phaseStats: StatsRow[] = [];
  let count = 0;
  for (const engine of engines) {
    const all = byEngine.get(engine)!;
    const sorted = sortedValues(all.map(pick));
    const pooled = stats(engine, ALL_PHASES, engine, sorted);
    if (pooled === null) continue;
    count += sorted.length;
    engineStats.push(pooled);
    for (const phase of phaseOrder.get(engine)!) {
      const row = stats(engine, phase, `${engine} · ${phase}`, sortedValues(all.filter((m) => m.phase === phase).map(pick)));
      if (row !== null) phaseStats.push(row);
    }
    // Sorted values are their own quantiles: thinning them evenly keeps the curve's shape and its ends.
    const n = sorted.length;
    const points = sorted.map((value, i): EcdfRow => ({ engine, value: round1(value), share: Math.round(((i + 1) / n) * 10_000) / 100 }));
    ecdf.push({ engine, value: round1(sorted[0]!), share: 0 }, ...downsample(points, Math.max(2, perEngineCap - 1)));
  }
  return { ecdf, engines: engineStats, phases: phaseStats, count };
}

function itlData(engines: string[], byEngine: Map<string, Measured[]>): ItlData {
  const gaps = new Map<string, number[]>();
  for (const engine of engines) gaps.set(engine, sortedValues(byEngine.get(engine)!.flatMap((m) => m.itlMs)));
  const pooled = sortedValues([...gaps.values()].flat());
  const empty: ItlData = { bins: [], engines: [], binMs: 1, upperMs: 0, beyond: [], count: 0 };
  if (pooled.length === 0) return empty;
  const min = pooled[0]!;
  const max = pooled[pooled.length - 1]!;
  const p99 = quantileSorted(pooled, 0.99) ?? max;
  // A stall of seconds among 10 ms gaps would squash every bar into one: bin up to p99 then.
  const upper = max <= 1.5 * p99 ? max : p99;
  const binMs = Math.max(0.1, niceStep((upper - min) / 40));
  const lower = Math.floor(min / binMs) * binMs;
  const binCount = Math.max(1, Math.floor((upper - lower) / binMs) + 1);
  const bins: ItlBin[] = [];
  const engineStats: StatsRow[] = [];
  const beyond: ItlData['beyond'] = [];
  for (const engine of engines) {
    const values = gaps.get(engine)!;
    const row = stats(engine, ALL_PHASES, engine, values);
    if (row === null) continue;
    engineStats.push(row);
    const counts = new Array<number>(binCount).fill(0);
    let over = 0;
    for (const value of values) {
      if (value > upper) over++;
      else counts[Math.min(binCount - 1, Math.floor((value - lower) / binMs))]! += 1;
    }
    beyond.push({ engine, count: over });
    counts.forEach((count, i) => {
      if (count === 0) return;
      const startMs = round1(lower + i * binMs);
      bins.push({ engine, startMs, endMs: round1(startMs + binMs), count, share: Math.round((count / values.length) * 10_000) / 100 });
    });
  }
  return { bins, engines: engineStats, binMs, upperMs: round1(upper), beyond, count: pooled.length };
}

/** Rolling window of a timeline's median: about a tenth of the requests, odd, 3 to 51. */
export function medianWindow(count: number): number {
  const w = Math.min(51, Math.max(3, Math.round(count / 10)));
  return w % 2 === 0 ? w + 1 : w;
}

function timelineData(engines: string[], byEngine: Map<string, Measured[]>, perEngineCap: number): TimelineData {
  const points: TimelineData['points'] = [];
  const median: TimelineData['median'] = [];
  const longest = Math.max(0, ...engines.map((e) => byEngine.get(e)!.filter((m) => m.ttftMs !== null).length));
  const window = medianWindow(longest);
  for (const engine of engines) {
    const timed = byEngine.get(engine)!.filter((m) => m.ttftMs !== null);
    const rows = timed.map((m) => ({ engine, phase: m.phase, sentS: roundS(m.sentMs / 1000), ttftMs: round1(m.ttftMs!) }));
    points.push(...downsample(rows, Math.floor(perEngineCap / 2), [(r) => r.ttftMs]));
    if (timed.length < window) continue;
    const line: TimelineData['median'] = [];
    for (let i = window - 1; i < timed.length; i++) {
      const slice = timed.slice(i - window + 1, i + 1).map((m) => m.ttftMs!);
      slice.sort((a, b) => a - b);
      line.push({ engine, sentS: roundS(timed[i]!.sentMs / 1000), medianMs: round1(slice[(window - 1) / 2]!) });
    }
    median.push(...downsample(line, Math.floor(perEngineCap / 2), [(r) => r.medianMs]));
  }
  return { points, median, window };
}

function errorData(engines: string[], measured: Measured[]): ErrorData {
  const failures = measured.filter((m) => m.status === 'error');
  const empty: ErrorData = { bins: [], totals: [], kinds: [], binS: 1, spanS: [0, 0], failed: 0, total: measured.length };
  if (failures.length === 0) return empty;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const m of measured) {
    start = Math.min(start, m.sentMs / 1000);
    end = Math.max(end, m.doneMs / 1000);
  }
  const binS = Math.max(0.001, niceStep((end - start) / 40));
  const lower = Math.floor(start / binS) * binS;
  const kindCount = new Map<string, number>();
  const cells = new Map<string, ErrorBin>();
  const totals = new Map<string, { engine: string; kind: string; count: number }>();
  for (const f of failures) {
    const kind = f.errorKind ?? 'unknown';
    kindCount.set(kind, (kindCount.get(kind) ?? 0) + 1);
    const index = Math.floor((f.doneMs / 1000 - lower) / binS);
    const key = JSON.stringify([f.engine, kind, index]);
    const startS = roundS(lower + index * binS);
    const cell = cells.get(key) ?? { engine: f.engine, kind, startS, endS: roundS(startS + binS), count: 0 };
    cell.count++;
    cells.set(key, cell);
    const totalKey = JSON.stringify([f.engine, kind]);
    const total = totals.get(totalKey) ?? { engine: f.engine, kind, count: 0 };
    total.count++;
    totals.set(totalKey, total);
  }
  const kinds = [...kindCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const order = (a: { engine: string; kind: string }, b: { engine: string; kind: string }): number =>
    engines.indexOf(a.engine) - engines.indexOf(b.engine) || kinds.indexOf(a.kind) - kinds.indexOf(b.kind);
  return {
    bins: [...cells.values()].sort((a, b) => order(a, b) || a.startS - b.startS),
    totals: [...totals.values()].sort(order),
    kinds,
    binS,
    spanS: [roundS(lower), roundS(Math.max(lower + binS, Math.ceil(end / binS) * binS))],
    failed: failures.length,
    total: measured.length,
  };
}

function sweepPoints(run: Run): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const engine of run.engines) {
    for (const phase of engine.phases) {
      const load = loadLevel(phase.load);
      if (load === null) continue;
      points.push({
        engine: engine.label,
        phase: phase.name,
        loadKind: load.kind,
        level: load.level,
        requestsPerS: round1(phase.requestsPerS),
        outputTokensPerS: round1(phase.outputTokensPerS),
        ttftP50Ms: roundOrNull(phase.ttftMs.p50),
        ttftP95Ms: roundOrNull(phase.ttftMs.p95),
        e2eP50Ms: roundOrNull(phase.e2eMs.p50),
        e2eP95Ms: roundOrNull(phase.e2eMs.p95),
        ok: phase.requests.ok,
        failed: phase.requests.failed,
        verdict: phase.slo?.verdict ?? (run.slo === null ? null : 'no data'),
      });
    }
  }
  return points;
}

const SERVER_SERIES: readonly ServerSeriesName[] = ['running', 'waiting', 'kvCacheUsage'];

function serverPoints(run: Run, engines: string[]): ServerPoint[] {
  const groups = new Map<string, ServerPoint[]>();
  for (const engine of run.engines) {
    for (const phase of engine.phases) {
      for (const series of phase.server?.series ?? []) {
        const name = SERVER_SERIES.find((s) => s === series.name);
        if (name === undefined) continue;
        const key = JSON.stringify([engine.label, name]);
        const group = groups.get(key) ?? [];
        for (const [offsetMs, value] of series.points) {
          if (!Number.isFinite(value)) continue;
          group.push({ engine: engine.label, phase: phase.name, series: name, tS: roundS(offsetMs / 1000), value: round1(name === 'kvCacheUsage' ? value * 100 : value) });
        }
        groups.set(key, group);
      }
    }
  }
  const cap = Math.floor(MAX_ROWS / Math.max(1, groups.size));
  const out: ServerPoint[] = [];
  for (const engine of engines) {
    for (const name of SERVER_SERIES) {
      const group = groups.get(JSON.stringify([engine, name]));
      if (group === undefined || group.length === 0) continue;
      group.sort((a, b) => a.tS - b.tS);
      out.push(...downsample(group, cap, [(p) => p.value]));
    }
  }
  return out;
}
