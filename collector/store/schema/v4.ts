// Run format v4: v3 plus service-level objectives as an explicit input and the verdicts on them.
// Frozen once published: a v5 goes beside this file and store/migrate.ts upgrades v4 → v5.
//
// What changed from v3 (upgrade-v3.ts carries a v3 document over):
// - the run states its objectives (`slo`), or null: v3 applied TTFT p95 100 ms and E2E p95 1 s to
//   every run without being asked, so an upgraded run has none unless its scenario set other values;
// - each engine × phase carries a verdict per objective, measured against the objective with its
//   95 % confidence interval, and its goodput (`slo`); a sweep carries its capacity at the SLO;
// - every distribution carries 95 % intervals of its percentiles (`ci95`), absent on upgraded runs;
// - the scenario may carry the assumptions of a cost estimate (`roi`), as the user stated them.
// The request line format is unchanged since v3.
import { z } from 'zod';
import * as v2 from './v2.ts';
import * as v3 from './v3.ts';

const count = z.number().int().nonnegative();
const positive = z.number().positive();

/** A 95 % confidence interval; a null side is unbounded (too few samples, or no sampling interval at all). */
export const Bound = z.object({ lo: z.number().nullable(), hi: z.number().nullable() });

export const Verdict = z.enum(['met', 'missed', 'inconclusive', 'no data']);

export const ObjectiveMetric = z.enum(['ttft', 'tpot', 'itl', 'e2e', 'error_rate', 'output_tokens_per_s', 'requests_per_s']);

/** One objective as parsed from its text (`ttft:p95<200ms`, `error_rate<1%`, `requests_per_s>=2`). */
export const Objective = z.object({
  /** Normalised text, e.g. "ttft:p95<200ms": the objective's name wherever a verdict refers to it. */
  text: z.string().min(1),
  metric: ObjectiveMetric,
  /** The statistic of a latency; null for error_rate and the throughputs, which are one number per phase. */
  stat: z.enum(['p50', 'p90', 'p95', 'p99', 'mean']).nullable(),
  op: z.enum(['<', '<=', '>', '>=']),
  /** ms for latencies, a fraction 0..1 for error_rate, per second for the throughputs. */
  value: z.number().finite().nonnegative(),
  /** Each request is held to it for goodput (ttft, tpot, e2e). */
  perRequest: z.boolean(),
});

/** The run's objectives and where they came from; null on the run means "no SLO set". */
export const Slo = z.object({
  objectives: z.array(Objective).min(1),
  /** 'command line', 'scenario', 'preset <name>', or 'servebench v3 run' (upgraded from v3). */
  source: z.string().min(1),
});

/** The 95 % intervals of a distribution's percentiles, from its sorted samples (order statistics). */
export const PercentileIntervals = z.object({ p50: Bound, p90: Bound, p95: Bound, p99: Bound });

export const Distribution = v2.Distribution.extend({
  /** Absent on runs upgraded from v3, which kept no samples to compute them from in run.json. */
  ci95: PercentileIntervals.optional(),
});

export const SloVerdict = z.object({
  /** Objective.text of the objective judged. */
  objective: z.string(),
  measured: z.number().nullable(),
  /**
   * 95 % interval of the measured value. The throughputs are one rate over one window: a single
   * run gives them no sampling interval, so both sides are null and the verdict is on the value.
   */
  ci: Bound,
  verdict: Verdict,
  /** (threshold − measured) / threshold, sign flipped for '>' and '>=': positive is room left. Null without a measurement or at threshold 0. */
  margin: z.number().nullable(),
});

export const PhaseSlo = z.object({
  verdicts: z.array(SloVerdict),
  /** All objectives together: missed if any is, else inconclusive if any is (or some had no data), else met; 'no data' when none was measured. */
  verdict: Verdict,
  /** Requests that succeeded and met every per-request objective on their own latencies (DistServe); null when no objective is per request. */
  goodput: z.object({ requests: count, perS: z.number().nonnegative(), fraction: z.number().min(0).max(1) }).nullable(),
});

export const ClientUsage = v3.ClientUsage.extend({ cpuPercent: Distribution });

export const PhaseSummary = v3.PhaseSummary.extend({
  ttftMs: Distribution,
  tpotMs: Distribution,
  itlMs: Distribution,
  e2eMs: Distribution,
  requestOutputTokensPerS: Distribution,
  sendLagMs: Distribution.optional(),
  ttftReusedMs: Distribution.optional(),
  client: ClientUsage.nullable().optional(),
  /** The verdicts on the run's objectives; absent when the run has none. */
  slo: PhaseSlo.optional(),
});

/**
 * The highest load meeting every objective over a sweep (two or more phases of one load shape at
 * different levels): value in users (concurrency) or requests/s (rate).
 * - measured: the highest met level, the next one missed, and no margin to interpolate on;
 * - interpolated: between the highest met level and the first missed one (between), where the
 *   binding objective's margin, taken as linear between the two, crosses zero;
 * - below lowest level: the lowest level already missed (value null);
 * - above highest level: every level met (value: the highest, a lower bound);
 * - inconclusive: a verdict at the boundary was inconclusive (value: the highest met level, or null).
 */
export const CapacityAtSlo = z.object({
  value: z.number().nonnegative().nullable(),
  unit: z.enum(['concurrency', 'rate']),
  how: z.enum(['measured', 'interpolated', 'below lowest level', 'above highest level', 'inconclusive']),
  between: z.tuple([z.number(), z.number()]).nullable(),
});

export const EngineRun = v3.EngineRun.extend({
  phases: z.array(PhaseSummary),
  /** Sweeps only; absent otherwise and when the run has no SLO. */
  capacityAtSlo: CapacityAtSlo.optional(),
});

const perEngine = <T extends z.ZodType>(value: T) => z.union([value, z.record(z.string(), value)]);

/** The assumptions of a cost estimate, as the scenario stated them (a number, or one per engine label). */
export const RoiAssumptions = z.object({
  currency: z.string().optional(),
  gpuHourlyCost: perEngine(positive),
  gpuCount: perEngine(positive).optional(),
  monthlyOutputTokens: positive.optional(),
  usersPerDay: positive.optional(),
  interactionsPerUserPerDay: positive.optional(),
  personHourCost: positive.optional(),
  workDaysPerYear: positive.optional(),
});

export const RunV4 = v3.RunV3.extend({
  schemaVersion: z.literal(4),
  /** The fully resolved scenario (secrets never included); `roi` as stated, when stated. */
  scenario: z.looseObject({ seed: z.number().int(), roi: RoiAssumptions.optional() }),
  /** The objectives every phase was judged against; null: no SLO set. */
  slo: Slo.nullable(),
  engines: z.array(EngineRun).min(1),
});

export const RequestRecord = v3.RequestRecord;

export { Definitions, Host, OutputTokensSource, RecordedEvent, RunStatus, ServerPhaseMetrics } from './v2.ts';
export { ErrorKind, EventsOmitted } from './v3.ts';

export type RunV4 = z.infer<typeof RunV4>;
export type Bound = z.infer<typeof Bound>;
export type Verdict = z.infer<typeof Verdict>;
export type Objective = z.infer<typeof Objective>;
export type ObjectiveMetric = z.infer<typeof ObjectiveMetric>;
export type Slo = z.infer<typeof Slo>;
export type SloVerdict = z.infer<typeof SloVerdict>;
export type PhaseSlo = z.infer<typeof PhaseSlo>;
export type PercentileIntervals = z.infer<typeof PercentileIntervals>;
export type Distribution = z.infer<typeof Distribution>;
export type ClientUsage = z.infer<typeof ClientUsage>;
export type PhaseSummary = z.infer<typeof PhaseSummary>;
export type CapacityAtSlo = z.infer<typeof CapacityAtSlo>;
export type EngineRun = z.infer<typeof EngineRun>;
export type RoiAssumptions = z.infer<typeof RoiAssumptions>;
export type RequestRecord = z.infer<typeof RequestRecord>;
