// What the MDX components of a run's notes.mdx show, looked up in the run: a metric with its
// interval (<Metric>), a difference between two engines that says when it is inside the noise
// (<Delta>), a verdict (<Verdict>). A prop that names nothing in the run is an error naming the
// prop and what the run has, so a typo stops the build instead of printing a wrong number.
import type { Bound, Distribution, EngineRun, PhaseSummary, Run, Verdict } from '../../../collector/store/schema/index.ts';
import { interval, ms, percent, rate } from '../format.ts';
import { metricValue, objectiveLabel, VERDICT_TEXT } from './verdicts.ts';

export class NotesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotesError';
  }
}

const LATENCIES = { ttft: 'ttftMs', tpot: 'tpotMs', itl: 'itlMs', e2e: 'e2eMs' } as const;
const RATES = ['output_tokens_per_s', 'requests_per_s', 'error_rate', 'goodput'] as const;
const STATS = ['p50', 'p90', 'p95', 'p99', 'mean'] as const;

export type LatencyMetric = keyof typeof LATENCIES;
export type NotesMetric = LatencyMetric | (typeof RATES)[number];
export type NotesStat = (typeof STATS)[number];

export const NOTES_METRICS: readonly string[] = [...Object.keys(LATENCIES), ...RATES];

function names(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

export function engineOf(run: Pick<Run, 'engines'>, label: string | undefined, where: string): EngineRun {
  const engine = run.engines.find((e) => e.label === label);
  if (engine === undefined) throw new NotesError(`${where}: engine="${label ?? ''}" is not an engine of this run (${names(run.engines.map((e) => e.label))})`);
  return engine;
}

export function phaseOf(engine: EngineRun, name: string | undefined, where: string): PhaseSummary {
  // One phase needs no name.
  if (name === undefined && engine.phases.length === 1) return engine.phases[0]!;
  const phase = engine.phases.find((p) => p.name === name);
  if (phase === undefined) throw new NotesError(`${where}: phase="${name ?? ''}" is not a phase ${engine.label} ran (${names(engine.phases.map((p) => p.name))})`);
  return phase;
}

export interface MetricValue {
  value: number | null;
  /** The 95 % interval; undefined when the metric has none (a rate over one window). */
  ci?: Bound | null;
  /** The value with its unit: `229.8 ms`, `531.1 tokens/s`, `1.5%`. */
  text: string;
  /** The interval in the value's format, or null. */
  intervalText: string | null;
}

function latencyValue(distribution: Distribution, stat: NotesStat): MetricValue {
  const value = distribution[stat];
  const ci = stat === 'mean' ? undefined : (distribution.ci95?.[stat] ?? null);
  return {
    value,
    ...(ci === undefined ? {} : { ci }),
    text: value === null ? 'no data' : `${ms(value)} ms`,
    intervalText: value === null || ci === undefined ? null : ci === null ? 'no interval recorded' : interval(ci),
  };
}

/** The value of a metric of one engine in one phase. Latencies need a stat (default p50). */
export function metricOf(run: Pick<Run, 'engines'>, props: { engine?: string; phase?: string; metric?: string; stat?: string }, where: string): MetricValue {
  const phase = phaseOf(engineOf(run, props.engine, where), props.phase, where);
  const metric = props.metric ?? '';
  if (metric in LATENCIES) {
    const stat = (props.stat ?? 'p50') as NotesStat;
    if (!STATS.includes(stat)) throw new NotesError(`${where}: stat="${props.stat}" is not one of ${names(STATS)}`);
    return latencyValue(phase[LATENCIES[metric as LatencyMetric]], stat);
  }
  if (props.stat !== undefined) throw new NotesError(`${where}: metric="${metric}" is one number per phase and takes no stat`);
  switch (metric) {
    case 'output_tokens_per_s':
      return { value: phase.outputTokensPerS, text: `${rate(phase.outputTokensPerS)} tokens/s`, intervalText: null };
    case 'requests_per_s':
      return { value: phase.requestsPerS, text: `${rate(phase.requestsPerS)} requests/s`, intervalText: null };
    case 'error_rate': {
      const value = phase.requests.total > 0 ? phase.requests.failed / phase.requests.total : null;
      return { value, text: value === null ? 'no data' : percent(value), intervalText: null };
    }
    case 'goodput': {
      const goodput = phase.slo?.goodput ?? null;
      if (goodput === null) throw new NotesError(`${where}: metric="goodput" needs a per-request objective (ttft, tpot or e2e) in the run's SLO`);
      return { value: goodput.perS, text: `${rate(goodput.perS)} requests/s`, intervalText: null };
    }
  }
  throw new NotesError(`${where}: metric="${metric}" is not one of ${names(NOTES_METRICS)}`);
}

export interface DeltaValue {
  a: MetricValue;
  b: MetricValue;
  /** b − a in the metric's unit (positive: b is higher); null without both values. */
  difference: number | null;
  /** apart: the intervals do not overlap; noise: they do; unknown: the metric or the run has no intervals. */
  status: 'apart' | 'noise' | 'unknown';
  /** `151.3 ms lower for vllm-sim (747.5 ms against 898.8 ms; the 95 % intervals do not overlap)`. */
  text: string;
}

function overlap(x: Bound, y: Bound): boolean {
  if (x.lo === null || x.hi === null || y.lo === null || y.hi === null) return true;
  return !(x.hi < y.lo || y.hi < x.lo);
}

/** The difference of one metric between engines a and b (in one phase, or each in its own). */
export function deltaOf(
  run: Pick<Run, 'engines'>,
  props: { a?: string; b?: string; phase?: string; phaseA?: string; phaseB?: string; metric?: string; stat?: string },
  where: string,
): DeltaValue {
  const a = metricOf(run, { engine: props.a, phase: props.phaseA ?? props.phase, metric: props.metric, stat: props.stat }, `${where} (a)`);
  const b = metricOf(run, { engine: props.b, phase: props.phaseB ?? props.phase, metric: props.metric, stat: props.stat }, `${where} (b)`);
  if (a.value === null || b.value === null) return { a, b, difference: null, status: 'unknown', text: `no difference to give: ${a.value === null ? props.a : props.b} has no data` };
  const difference = b.value - a.value;
  const latency = (props.metric ?? '') in LATENCIES;
  const unit = (n: number): string => (latency ? `${ms(n)} ms` : props.metric === 'error_rate' ? percent(n) : rate(n));
  const both = `${a.text} against ${b.text}`;
  if (a.ci === undefined || b.ci === undefined || a.ci === null || b.ci === null) {
    return { a, b, difference, status: 'unknown', text: `${unit(Math.abs(difference))} ${difference > 0 ? 'higher' : 'lower'} for ${props.b} (${both}; no interval to say whether that is more than noise)` };
  }
  if (overlap(a.ci, b.ci)) return { a, b, difference, status: 'noise', text: `inside the noise (${both}; the 95 % intervals overlap)` };
  const lower = difference > 0 ? props.a : props.b;
  return { a, b, difference, status: 'apart', text: `${unit(Math.abs(difference))} lower for ${lower} (${both}; the 95 % intervals do not overlap)` };
}

export interface VerdictValue {
  verdict: Verdict;
  /** `met: TTFT p95 under 200 ms, 123.4 ms (110.0–130.0)` or `met every objective`. */
  text: string;
}

/** The verdict of an engine in a phase: on one objective (its normalised text), or on all of them. */
export function verdictOf(run: Pick<Run, 'engines' | 'slo'>, props: { engine?: string; phase?: string; objective?: string }, where: string): VerdictValue {
  if (run.slo === null) throw new NotesError(`${where}: this run set no SLO, so it has no verdicts`);
  const phase = phaseOf(engineOf(run, props.engine, where), props.phase, where);
  if (phase.slo === undefined) throw new NotesError(`${where}: phase ${phase.name} was not judged`);
  if (props.objective === undefined) return { verdict: phase.slo.verdict, text: `${VERDICT_TEXT[phase.slo.verdict]} (every objective together)` };
  const objective = run.slo.objectives.find((o) => o.text === props.objective);
  const judged = phase.slo.verdicts.find((v) => v.objective === props.objective);
  if (objective === undefined || judged === undefined) {
    throw new NotesError(`${where}: objective="${props.objective}" is not one of this run's (${names(run.slo.objectives.map((o) => o.text))})`);
  }
  const measured = metricValue(objective.metric, judged.measured);
  return { verdict: judged.verdict, text: `${VERDICT_TEXT[judged.verdict]}: ${objectiveLabel(objective)}, measured ${measured}` };
}

/** The chart a <Chart name="…"/> shows, among the run's charts (their ids). */
export function chartOf<C extends { id: string }>(charts: readonly C[], name: string | undefined, where: string): C {
  const chart = charts.find((c) => c.id === name);
  if (chart === undefined) throw new NotesError(`${where}: name="${name ?? ''}" is not a chart of this run (${names(charts.map((c) => c.id)) || 'it has none'})`);
  return chart;
}

/**
 * What each component looks up in the run, as one table: the components render with these, and
 * the notes are checked with them before the build compiles anything. `charts` is null before the
 * run's charts are derived: <Chart> names are then checked when the page renders.
 */
const LOOKUPS: Record<string, (run: Pick<Run, 'engines' | 'slo'>, charts: readonly { id: string }[] | null, props: Record<string, string>, where: string) => unknown> = {
  Metric: (run, _charts, props, where) => metricOf(run, props, where),
  Delta: (run, _charts, props, where) => deltaOf(run, props, where),
  Verdict: (run, _charts, props, where) => verdictOf(run, props, where),
  Chart: (_run, charts, props, where) => (charts === null ? null : chartOf(charts, props['name'], where)),
};

/** Why a component's props name something the run does not have (the message lists what it has), or null. */
export function notesPropsProblem(
  run: Pick<Run, 'engines' | 'slo'>,
  charts: readonly { id: string }[] | null,
  component: string,
  props: Record<string, string>,
  where: string,
): string | null {
  try {
    LOOKUPS[component]?.(run, charts, props, where);
    return null;
  } catch (error) {
    if (error instanceof NotesError) return error.message;
    throw error;
  }
}
