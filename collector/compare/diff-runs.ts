// The diff of two runs, engine × phase × metric: Δ with its 95 % interval, the Mann–Whitney p
// adjusted (Benjamini–Hochberg) across every test in the diff, Cliff's δ, the Hodges–Lehmann shift
// and a verdict against τ. Pure: runs and their per-request samples in, plain rows out; the
// statistics and the verdict words are docs/statistics.md's ("Comparing two runs").
import {
  benjaminiHochberg,
  cliffsDelta,
  DEFAULT_THRESHOLD,
  diffVerdict,
  hodgesLehmann,
  mannWhitney,
  minSamplesFor,
  proportionInterval,
  quantile,
  quantileRatioInterval,
  ratioInterval,
  type Bound,
  type DiffVerdict,
  type Direction,
} from '../metrics/stats/index.ts';
import type { Objective, Run } from '../store/schema/index.ts';
import { environmentDiff, pairEngines, worstSeverity, type EnvironmentRow, type Severity } from './comparability.ts';
import type { PhaseSamples, RunSamples } from './phase-samples.ts';

export type MetricId = 'ttft' | 'itl' | 'tpot' | 'e2e' | 'output_tokens_per_s' | 'goodput' | 'error_rate';

/**
 * τ for the error rate, in percentage points: its Δ is head − base (a ratio of two rates near
 * zero is undefined or huge), and a 5-point rise in errors is far too much to call equivalent.
 */
export const ERROR_RATE_THRESHOLD = 0.01;

/** The metrics in the order every output lists them, with how each is read. */
export const METRICS: ReadonlyArray<{ id: MetricId; label: string; unit: string; direction: Direction }> = [
  { id: 'ttft', label: 'TTFT', unit: 'ms', direction: 'lower-is-better' },
  { id: 'itl', label: 'ITL', unit: 'ms', direction: 'lower-is-better' },
  { id: 'tpot', label: 'TPOT', unit: 'ms', direction: 'lower-is-better' },
  { id: 'e2e', label: 'E2E', unit: 'ms', direction: 'lower-is-better' },
  { id: 'output_tokens_per_s', label: 'output tok/s per request', unit: 'tok/s', direction: 'higher-is-better' },
  { id: 'goodput', label: 'goodput', unit: 'share', direction: 'higher-is-better' },
  { id: 'error_rate', label: 'error rate', unit: 'share', direction: 'lower-is-better' },
];

const QUANTILES = [
  { stat: 'p50', q: 0.5 },
  { stat: 'p90', q: 0.9 },
  { stat: 'p99', q: 0.99 },
] as const;

export type Stat = 'p50' | 'p90' | 'p99' | 'mean' | 'share';

export interface DiffRow {
  /** Engine label as the base run holds it (the head's when the labels differ: headEngine). */
  engine: string;
  headEngine: string;
  phase: string;
  metric: MetricId;
  stat: Stat;
  base: number | null;
  head: number | null;
  /** 'relative': Δ = head / base − 1; 'points': Δ = head − base (the error rate). */
  deltaKind: 'relative' | 'points';
  delta: number | null;
  ci: Bound;
  /** Two-sided Mann–Whitney p of the metric's values, raw and BH-adjusted across the diff; null: no test. */
  pRaw: number | null;
  p: number | null;
  /** Cliff's δ of head against base: +1 every head value higher. */
  cliffsDelta: number | null;
  /** Hodges–Lehmann shift head − base, in the metric's unit. */
  shift: number | null;
  samples: { base: number; head: number };
  threshold: number;
  direction: Direction;
  verdict: DiffVerdict;
}

/** An engine or phase only one side has: listed, never silently dropped. */
export interface Unpaired {
  engine: string;
  phase: string | null;
  side: 'base' | 'head';
}

export interface RunRef {
  id: string;
  name: string;
  startedAt: string;
  /** Whether any engine was the built-in simulator, and which (labels). */
  simulated: boolean;
  simulatedEngines: string[];
}

export interface RunDiff {
  base: RunRef;
  head: RunRef;
  threshold: number;
  errorRateThreshold: number;
  /** The objectives goodput held every request to (the base run's, else the head's); null: no goodput. */
  goodputObjectives: string[] | null;
  environment: EnvironmentRow[];
  severity: Severity | null;
  rows: DiffRow[];
  unpaired: Unpaired[];
}

export interface DiffOptions {
  /** τ as a fraction (0.05 for 5 %). */
  threshold?: number;
  /** τ per metric, overriding threshold (the error rate's in percentage points). */
  thresholds?: Partial<Record<MetricId, number>>;
  seed?: number;
  resamples?: number;
}

export interface DiffSide {
  run: Run;
  samples: RunSamples;
}

/** Which objectives goodput is judged by on both sides: one set, so the two shares are comparable. */
export function goodputObjectives(base: Run, head: Run): Objective[] | null {
  return base.slo?.objectives ?? head.slo?.objectives ?? null;
}

export function diffRuns(base: DiffSide, head: DiffSide, options: DiffOptions = {}): RunDiff {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const tau = (metric: MetricId): number => options.thresholds?.[metric] ?? (metric === 'error_rate' ? ERROR_RATE_THRESHOLD : threshold);
  const boot = { seed: options.seed ?? 1, ...(options.resamples !== undefined ? { resamples: options.resamples } : {}) };
  const environment = environmentDiff(base.run, head.run);
  const pending: Array<MetricRow & Pick<DiffRow, 'engine' | 'headEngine' | 'phase'>> = [];
  const unpaired: Unpaired[] = [];
  for (const pair of pairEngines(base.run.engines, head.run.engines)) {
    if (pair.base === null || pair.head === null) {
      unpaired.push({ engine: (pair.base ?? pair.head)!.label, phase: null, side: pair.base ? 'base' : 'head' });
      continue;
    }
    const headPhases = new Set(pair.head.phases.map((p) => p.name));
    for (const phase of pair.base.phases) {
      if (!headPhases.has(phase.name)) {
        unpaired.push({ engine: pair.base.label, phase: phase.name, side: 'base' });
        continue;
      }
      const b = base.samples.get(pair.base.label)?.get(phase.name) ?? EMPTY;
      const h = head.samples.get(pair.head.label)?.get(phase.name) ?? EMPTY;
      const where = { engine: pair.base.label, headEngine: pair.head.label, phase: phase.name };
      for (const metric of METRICS) pending.push(...metricRows(metric.id, metric.direction, b, h, tau(metric.id), boot).map((r) => ({ ...where, ...r })));
    }
    const basePhases = new Set(pair.base.phases.map((p) => p.name));
    for (const phase of pair.head.phases) if (!basePhases.has(phase.name)) unpaired.push({ engine: pair.head.label, phase: phase.name, side: 'head' });
  }
  // One test per engine × phase × metric (a metric's percentile rows share it), adjusted together.
  const testKey = (r: Pick<DiffRow, 'engine' | 'phase' | 'metric'>) => `${r.engine}\u0000${r.phase}\u0000${r.metric}`;
  const tests = new Map<string, number>();
  for (const r of pending) if (r.pRaw !== null) tests.set(testKey(r), r.pRaw);
  const keys = [...tests.keys()];
  const { adjusted } = benjaminiHochberg(keys.map((k) => tests.get(k)!));
  const adjustedOf = new Map(keys.map((k, i) => [k, adjusted[i]!]));
  const rows: DiffRow[] = pending.map(({ minSamples, ...r }) => {
    const p = r.pRaw === null ? null : adjustedOf.get(testKey(r))!;
    const verdict = diffVerdict({ delta: r.delta, ci: r.ci, p, direction: r.direction, threshold: r.threshold, samples: r.samples, minSamples });
    return { ...r, p, verdict };
  });
  const objectives = goodputObjectives(base.run, head.run);
  return {
    base: refOf(base.run),
    head: refOf(head.run),
    threshold,
    errorRateThreshold: tau('error_rate'),
    goodputObjectives: objectives && objectives.some((o) => o.perRequest) ? objectives.filter((o) => o.perRequest).map((o) => o.text) : null,
    environment,
    severity: worstSeverity(environment),
    rows,
    unpaired,
  };
}

const EMPTY: PhaseSamples = {
  ttftMs: new Float64Array(),
  itlMs: new Float64Array(),
  tpotMs: new Float64Array(),
  e2eMs: new Float64Array(),
  outputTokensPerS: new Float64Array(),
  failed: new Float64Array(),
  good: null,
};

interface MetricRow extends Omit<DiffRow, 'engine' | 'headEngine' | 'phase' | 'p' | 'verdict'> {
  minSamples: number;
}

function metricRows(
  metric: MetricId,
  direction: Direction,
  b: PhaseSamples,
  h: PhaseSamples,
  threshold: number,
  boot: { seed: number; resamples?: number },
): MetricRow[] {
  const common = { metric, direction, threshold };
  if (metric === 'error_rate') return [errorRateRow(b.failed, h.failed, common)];
  if (metric === 'goodput') {
    if (b.good === null || h.good === null) return [];
    return [meanRow(b.good, h.good, 'share', common, boot)];
  }
  if (metric === 'output_tokens_per_s') return [meanRow(b.outputTokensPerS, h.outputTokensPerS, 'mean', common, boot)];
  const values = metric === 'ttft' ? [b.ttftMs, h.ttftMs] : metric === 'itl' ? [b.itlMs, h.itlMs] : metric === 'tpot' ? [b.tpotMs, h.tpotMs] : [b.e2eMs, h.e2eMs];
  const [bs, hs] = values as [Float64Array, Float64Array];
  const test = testOf(bs, hs);
  return QUANTILES.map(({ stat, q }) => {
    const { delta, ci } = quantileRatioInterval(bs, hs, q, boot);
    return { ...common, ...test, stat, base: quantile(bs, q), head: quantile(hs, q), deltaKind: 'relative', delta, ci, samples: { base: bs.length, head: hs.length }, minSamples: minSamplesFor(q) };
  });
}

function testOf(b: Float64Array, h: Float64Array): Pick<DiffRow, 'pRaw' | 'cliffsDelta' | 'shift'> {
  return { pRaw: mannWhitney(h, b).p, cliffsDelta: cliffsDelta(h, b), shift: hodgesLehmann(h, b) };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function meanRow(
  b: Float64Array,
  h: Float64Array,
  stat: Stat,
  common: Pick<DiffRow, 'metric' | 'direction' | 'threshold'>,
  boot: { seed: number; resamples?: number },
): MetricRow {
  const { delta, ci } = ratioInterval(b, h, mean, boot);
  return {
    ...common,
    ...testOf(b, h),
    stat,
    base: b.length > 0 ? mean(b) : null,
    head: h.length > 0 ? mean(h) : null,
    deltaKind: 'relative',
    delta,
    ci,
    samples: { base: b.length, head: h.length },
    minSamples: 10,
  };
}

/**
 * Δ of the error rate in points, with Newcombe's hybrid score interval from the two Wilson
 * intervals: it stays sensible at zero errors, where a bootstrap of 0/n collapses to a point.
 */
function errorRateRow(b: Float64Array, h: Float64Array, common: Pick<DiffRow, 'metric' | 'direction' | 'threshold'>): MetricRow {
  const n = { base: b.length, head: h.length };
  const failed = { base: b.reduce((s, v) => s + v, 0), head: h.reduce((s, v) => s + v, 0) };
  const samples = n;
  if (n.base === 0 || n.head === 0) {
    return { ...common, stat: 'share', base: null, head: null, deltaKind: 'points', delta: null, ci: { lo: null, hi: null }, pRaw: null, cliffsDelta: null, shift: null, samples, minSamples: 10 };
  }
  const pb = failed.base / n.base;
  const ph = failed.head / n.head;
  const wb = proportionInterval(failed.base, n.base);
  const wh = proportionInterval(failed.head, n.head);
  const delta = ph - pb;
  const ci = {
    lo: delta - Math.hypot(ph - wh.lo!, wb.hi! - pb),
    hi: delta + Math.hypot(wh.hi! - ph, pb - wb.lo!),
  };
  const test = testOf(b, h);
  return { ...common, ...test, shift: null, stat: 'share', base: pb, head: ph, deltaKind: 'points', delta, ci, samples, minSamples: 10 };
}

function refOf(run: Run): RunRef {
  const simulatedEngines = run.engines.filter((e) => e.simulated).map((e) => e.label);
  return { id: run.id, name: run.name, startedAt: run.startedAt, simulated: simulatedEngines.length > 0, simulatedEngines };
}

/** Rows whose verdict says head got worse: what --fail-on looks at. */
export function regressions(diff: RunDiff, level: 'regression' | 'likely-regression'): DiffRow[] {
  return diff.rows.filter((r) => r.verdict === 'regression' || (level === 'likely-regression' && r.verdict === 'likely regression'));
}
