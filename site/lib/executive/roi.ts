// What the run means in money and time, computed only from the run and the assumptions its
// scenario states (`scenario.roi`), never from anything else:
// - cost per 1M output tokens = GPU cost per hour × GPUs / output tokens per hour, at the load
//   level that met every objective with the most output (the highest output when no SLO is set);
// - GPU-hours (and their cost) for the monthly volume, at that rate;
// - the wait saved per interaction (difference of E2E medians between engines at one load
//   level) × interactions per user per day × users × work days → hours and money per year, and
//   only when the two medians' 95 % intervals are apart: a difference inside the noise is said to
//   be inside the noise and not turned into money.
import type { Bound, EngineRun, PhaseSummary, RoiAssumptions, Run } from '../../../collector/store/schema/index.ts';
import { hours, integer, money, ms, rate } from '../format.ts';
import { loadLabel } from '../report/load-label.ts';
import { phaseGroups } from '../report/report.ts';

export const DEFAULT_CURRENCY = 'USD';
export const DEFAULT_GPU_COUNT = 1;
export const DEFAULT_WORK_DAYS = 250;

type PerEngine = number | Record<string, number>;

/** An engine's value of a number given once for all or per engine label; null when not given for it. */
export function forEngine(value: PerEngine | undefined, label: string): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number') return value;
  return Object.hasOwn(value, label) ? value[label]! : null;
}

export interface Assumption {
  label: string;
  value: string;
  /** 'stated' when the scenario set it, 'default' when servebench filled it in. */
  origin: 'stated' | 'default';
}

export interface EngineCost {
  engine: string;
  /** The phase the rate was measured in, and its load; null when none qualified. */
  phase: string | null;
  load: string | null;
  /** Why this phase: "met every objective with the most output" / "highest measured output, no SLO set". */
  basis: string;
  outputTokensPerS: number | null;
  gpuHourlyCost: number | null;
  gpuCount: number;
  costPerMillion: number | null;
  gpuHoursPerMonth: number | null;
  costPerMonth: number | null;
  /** Why no cost is given, when none is. */
  missing: string | null;
}

export interface WaitSaving {
  phase: string;
  load: string;
  faster: string;
  slower: string;
  fasterMs: number;
  slowerMs: number;
  fasterCi: Bound | null;
  slowerCi: Bound | null;
  /** saved: the intervals are apart; noise: they overlap; no interval: the run recorded none. */
  status: 'saved' | 'noise' | 'no interval';
  savedMs: number | null;
  hoursPerYear: number | null;
  moneyPerYear: number | null;
}

export interface Roi {
  currency: string;
  assumptions: Assumption[];
  costs: EngineCost[];
  /** The engine with the lowest cost per 1M output tokens, when more than one has one. */
  cheapest: string | null;
  waits: WaitSaving[];
  /** What to add to `roi:` for the parts not computed. */
  toSet: string[];
}

/**
 * The phase a cost is computed at, and why: the load level that met every objective with the most
 * output; with no SLO set, or none met, the highest measured output, saying so.
 */
export function costPhase(engine: Pick<EngineRun, 'phases'>, sloSet: boolean): { phase: PhaseSummary | null; basis: string } {
  const producing = engine.phases.filter((p) => p.outputTokensPerS > 0);
  const most = (phases: PhaseSummary[]): PhaseSummary | null =>
    phases.reduce<PhaseSummary | null>((top, p) => (top === null || p.outputTokensPerS > top.outputTokensPerS ? p : top), null);
  const met = sloSet ? most(producing.filter((p) => p.slo?.verdict === 'met')) : null;
  if (met !== null) return { phase: met, basis: 'the load level that met every objective with the most output' };
  const any = most(producing);
  if (any === null) return { phase: null, basis: 'no output was measured' };
  return { phase: any, basis: sloSet ? 'its highest measured output: no load level met every objective' : 'its highest measured output (no SLO set)' };
}

function engineCost(engine: EngineRun, roi: RoiAssumptions, sloSet: boolean): EngineCost {
  const gpuHourlyCost = forEngine(roi.gpuHourlyCost, engine.label);
  const gpuCount = forEngine(roi.gpuCount, engine.label) ?? DEFAULT_GPU_COUNT;
  const { phase, basis } = costPhase(engine, sloSet);
  const base = {
    engine: engine.label,
    phase: phase?.name ?? null,
    load: phase ? loadLabel(phase.load) : null,
    basis,
    outputTokensPerS: phase?.outputTokensPerS ?? null,
    gpuHourlyCost,
    gpuCount,
  };
  const none = { costPerMillion: null, gpuHoursPerMonth: null, costPerMonth: null };
  if (gpuHourlyCost === null) return { ...base, ...none, missing: `no gpuHourlyCost for ${engine.label}` };
  if (phase === null) return { ...base, ...none, missing: basis };
  const tokensPerHour = phase.outputTokensPerS * 3600;
  const costPerMillion = ((gpuHourlyCost * gpuCount) / tokensPerHour) * 1e6;
  const gpuHoursPerMonth = roi.monthlyOutputTokens === undefined ? null : (roi.monthlyOutputTokens / tokensPerHour) * gpuCount;
  return {
    ...base,
    costPerMillion,
    gpuHoursPerMonth,
    costPerMonth: gpuHoursPerMonth === null ? null : gpuHoursPerMonth * gpuHourlyCost,
    missing: null,
  };
}

/** Whether two intervals are apart (neither side unbounded); null when either is missing. */
function apart(a: Bound | null, b: Bound | null): boolean | null {
  if (a === null || b === null) return null;
  if (a.lo === null || a.hi === null || b.lo === null || b.hi === null) return false;
  return a.hi < b.lo || b.hi < a.lo;
}

/** At each load level two or more engines ran, the fastest E2E median against each other engine's. */
export function waitSavings(run: Pick<Run, 'engines'>, roi: RoiAssumptions): WaitSaving[] {
  const perYear = roi.usersPerDay !== undefined && roi.interactionsPerUserPerDay !== undefined
    ? roi.usersPerDay * roi.interactionsPerUserPerDay * (roi.workDaysPerYear ?? DEFAULT_WORK_DAYS)
    : null;
  const out: WaitSaving[] = [];
  for (const group of phaseGroups(run)) {
    const measured = group.rows.filter((r) => r.phase.e2eMs.p50 !== null);
    if (measured.length < 2) continue;
    const fastest = measured.reduce((a, b) => (b.phase.e2eMs.p50! < a.phase.e2eMs.p50! ? b : a));
    for (const other of measured) {
      if (other === fastest) continue;
      const fasterCi = fastest.phase.e2eMs.ci95?.p50 ?? null;
      const slowerCi = other.phase.e2eMs.ci95?.p50 ?? null;
      const separated = apart(fasterCi, slowerCi);
      const status = separated === null ? 'no interval' : separated ? 'saved' : 'noise';
      const savedMs = status === 'saved' ? other.phase.e2eMs.p50! - fastest.phase.e2eMs.p50! : null;
      const hoursPerYear = savedMs !== null && perYear !== null ? (savedMs / 3_600_000) * perYear : null;
      out.push({
        phase: group.name,
        load: loadLabel(fastest.phase.load),
        faster: fastest.engine.label,
        slower: other.engine.label,
        fasterMs: fastest.phase.e2eMs.p50!,
        slowerMs: other.phase.e2eMs.p50!,
        fasterCi,
        slowerCi,
        status,
        savedMs,
        hoursPerYear,
        moneyPerYear: hoursPerYear !== null && roi.personHourCost !== undefined ? hoursPerYear * roi.personHourCost : null,
      });
    }
  }
  return out;
}

function perEngineText(value: PerEngine, format: (n: number) => string): string {
  return typeof value === 'number' ? format(value) : Object.entries(value).map(([label, n]) => `${label} ${format(n)}`).join(', ');
}

/** The assumptions as stated, and the defaults filled in, each in the words and units it is used in. */
export function assumptionList(roi: RoiAssumptions): Assumption[] {
  const currency = roi.currency ?? DEFAULT_CURRENCY;
  const list: Assumption[] = [
    { label: 'Currency', value: currency, origin: roi.currency === undefined ? 'default' : 'stated' },
    { label: 'GPU cost per hour', value: perEngineText(roi.gpuHourlyCost, (n) => money(n, currency)), origin: 'stated' },
    { label: 'GPUs per engine', value: roi.gpuCount === undefined ? String(DEFAULT_GPU_COUNT) : perEngineText(roi.gpuCount, String), origin: roi.gpuCount === undefined ? 'default' : 'stated' },
  ];
  if (roi.monthlyOutputTokens !== undefined) list.push({ label: 'Output tokens per month', value: integer(roi.monthlyOutputTokens), origin: 'stated' });
  if (roi.usersPerDay !== undefined) list.push({ label: 'Users per day', value: integer(roi.usersPerDay), origin: 'stated' });
  if (roi.interactionsPerUserPerDay !== undefined) list.push({ label: 'Interactions per user per day', value: String(roi.interactionsPerUserPerDay), origin: 'stated' });
  if (roi.personHourCost !== undefined) list.push({ label: "Cost of a person's hour", value: money(roi.personHourCost, currency), origin: 'stated' });
  list.push({ label: 'Work days per year', value: String(roi.workDaysPerYear ?? DEFAULT_WORK_DAYS), origin: roi.workDaysPerYear === undefined ? 'default' : 'stated' });
  return list;
}

/** The ROI of a run, or null when its scenario states no assumptions. */
export function roiOf(run: Pick<Run, 'engines' | 'scenario' | 'slo'>): Roi | null {
  const roi = run.scenario.roi;
  if (roi === undefined) return null;
  const costs = run.engines.map((e) => engineCost(e, roi, run.slo !== null));
  const priced = costs.filter((c): c is EngineCost & { costPerMillion: number } => c.costPerMillion !== null);
  const cheapest = priced.length > 1 ? priced.reduce((a, b) => (b.costPerMillion < a.costPerMillion ? b : a)).engine : null;
  const toSet: string[] = [];
  if (roi.monthlyOutputTokens === undefined) toSet.push('monthlyOutputTokens (for GPU-hours per month)');
  if (roi.usersPerDay === undefined) toSet.push('usersPerDay (for time saved per year)');
  if (roi.interactionsPerUserPerDay === undefined) toSet.push('interactionsPerUserPerDay (for time saved per year)');
  if (roi.personHourCost === undefined) toSet.push('personHourCost (to put a price on time saved)');
  return { currency: roi.currency ?? DEFAULT_CURRENCY, assumptions: assumptionList(roi), costs, cheapest, waits: waitSavings(run, roi), toSet };
}

/** `1,234 tokens/s × 3,600 s` as the cost's working, so a reader can redo the sum. */
export function costWorking(cost: EngineCost, currency: string): string {
  if (cost.costPerMillion === null || cost.gpuHourlyCost === null || cost.outputTokensPerS === null) return '';
  return `${money(cost.gpuHourlyCost, currency)}/h × ${cost.gpuCount} GPU${cost.gpuCount === 1 ? '' : 's'} ÷ (${rate(cost.outputTokensPerS)} tokens/s × 3,600 s/h) × 1,000,000`;
}

/** `saved 151.3 ms × 10 × 200 × 250 = 21.0 hours` as the saving's working. */
export function waitWorking(wait: WaitSaving, roi: RoiAssumptions): string {
  if (wait.savedMs === null || roi.usersPerDay === undefined || roi.interactionsPerUserPerDay === undefined) return '';
  return `${ms(wait.savedMs)} ms × ${roi.interactionsPerUserPerDay} interactions × ${integer(roi.usersPerDay)} users × ${roi.workDaysPerYear ?? DEFAULT_WORK_DAYS} days = ${hours(wait.hoursPerYear)} hours`;
}
