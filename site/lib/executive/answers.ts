// The executive summary's questions, answered from the run with their evidence: which engine gives
// the first token soonest at each load level, which carries the most load within the SLO, and
// which costs least per 1M output tokens. An answer names an engine only when the 95 % intervals
// separate it from every other (clearWinner); otherwise it says "no clear winner" and shows why.
import { sweepOf } from '../../../collector/metrics/slo/capacity.ts';
import { clearWinner, proportionInterval } from '../../../collector/metrics/stats/index.ts';
import type { Bound, CapacityAtSlo, EngineRun, Run } from '../../../collector/store/schema/index.ts';
import { interval } from '../format.ts';
import { loadLabel } from '../report/load-label.ts';
import { phaseGroups } from '../report/report.ts';

export type WinnerReason = 'separated' | 'overlap' | 'no data';

/** One engine's evidence for an answer: its value and the 95 % interval of it. */
export interface Evidence {
  label: string;
  value: number | null;
  ci: Bound;
  /** False when the run recorded no interval for this value (a run upgraded from format v3). */
  hasInterval: boolean;
}

export interface Ruling<T extends Evidence = Evidence> {
  winner: T | null;
  reason: WinnerReason;
  runnerUp: T | null;
  /** The engines with a value, best first: ranked[0] leads whether or not it is a clear winner. */
  ranked: T[];
  /** The engines without one (no successful request). */
  missing: string[];
  /** Only one engine was measured: nothing to compare. */
  alone: boolean;
}

const UNBOUNDED: Bound = { lo: null, hi: null };

function rule<T extends Evidence>(candidates: T[], better: 'lower' | 'higher'): Ruling<T> {
  const result = clearWinner(candidates, better);
  const ranked = candidates.filter((c) => c.value !== null).toSorted((a, b) => (better === 'lower' ? a.value! - b.value! : b.value! - a.value!));
  return { ...result, ranked, missing: candidates.filter((c) => c.value === null).map((c) => c.label), alone: ranked.length === 1 };
}

export interface FirstTokenEvidence extends Evidence {
  p95: number | null;
  p95Ci: Bound;
  samples: number;
}

export interface FirstTokenLevel {
  phase: string;
  load: string;
  engines: FirstTokenEvidence[];
  ruling: Ruling<FirstTokenEvidence>;
}

/** Per load level: every engine's TTFT p50 and p95 with intervals, and the clear winner on the median, if any. */
export function fastestFirstToken(run: Pick<Run, 'engines'>): FirstTokenLevel[] {
  return phaseGroups(run).map((group) => {
    const engines = group.rows.map(({ engine, phase }): FirstTokenEvidence => ({
      label: engine.label,
      value: phase.ttftMs.p50,
      ci: phase.ttftMs.ci95?.p50 ?? UNBOUNDED,
      hasInterval: phase.ttftMs.ci95 !== undefined,
      p95: phase.ttftMs.p95,
      p95Ci: phase.ttftMs.ci95?.p95 ?? UNBOUNDED,
      samples: phase.ttftMs.count,
    }));
    return { phase: group.name, load: loadLabel(group.rows[0]!.phase.load), engines, ruling: rule(engines, 'lower') };
  });
}

export interface CapacityEvidence extends Evidence {
  capacity: CapacityAtSlo;
  /** The lowest level of the engine's sweep (for "below the lowest level"). */
  lowest: number | null;
}

/**
 * Where the true capacity lies, as [lo, hi): at or above the last level met, below the first level
 * missed. An interpolated or measured capacity lies between the two; one above the highest level
 * has no upper side, one below the lowest level no lower one; an inconclusive verdict at the
 * boundary leaves the upper side open. hi is exclusive: that level was missed.
 */
export function capacityBound(capacity: CapacityAtSlo, lowest: number | null): Bound {
  switch (capacity.how) {
    case 'interpolated':
    case 'measured':
      return capacity.between ? { lo: capacity.between[0], hi: capacity.between[1] } : { lo: capacity.value, hi: null };
    case 'above highest level':
      return { lo: capacity.value, hi: null };
    case 'below lowest level':
      return { lo: 0, hi: lowest };
    case 'inconclusive':
      return { lo: capacity.value ?? 0, hi: null };
  }
}

/**
 * The engine whose capacity is surely the highest: its last met level is at or above the level
 * every other engine already missed ([lo, hi) ranges that do not overlap). Otherwise no winner.
 */
export function capacityRuling(engines: CapacityEvidence[]): Ruling<CapacityEvidence> {
  const ranked = engines.filter((e) => e.value !== null).toSorted((a, b) => b.value! - a.value!);
  const [best, next] = ranked;
  const missing = engines.filter((e) => e.value === null).map((e) => e.label);
  if (best === undefined) return { winner: null, reason: 'no data', runnerUp: null, ranked, missing, alone: false };
  const separated = ranked.slice(1).every((other) => best.ci.lo !== null && other.ci.hi !== null && best.ci.lo >= other.ci.hi);
  return { winner: separated ? best : null, reason: separated ? 'separated' : 'overlap', runnerUp: next ?? null, ranked, missing, alone: ranked.length === 1 };
}

export interface GoodputEvidence extends Evidence {
  fraction: number;
  requests: number;
  total: number;
}

export interface GoodputLevel {
  phase: string;
  load: string;
  engines: GoodputEvidence[];
  ruling: Ruling<GoodputEvidence>;
}

export type LoadAnswer =
  | { kind: 'no slo' }
  | { kind: 'capacity'; unit: CapacityAtSlo['unit']; engines: CapacityEvidence[]; ruling: Ruling<CapacityEvidence> }
  | { kind: 'goodput'; levels: GoodputLevel[] }
  /** Objectives are set but none is per request (goodput needs one), and the run is not a sweep. */
  | { kind: 'no goodput' };

function capacityEvidence(engine: EngineRun, capacity: CapacityAtSlo): CapacityEvidence {
  const lowest = sweepOf(engine.phases)?.levels[0]?.level ?? null;
  const ci = capacityBound(capacity, lowest);
  // Ranked on the capacity itself; below the lowest level ranks last, an unknown one on what was met.
  const value = capacity.how === 'below lowest level' ? 0 : (capacity.value ?? ci.lo);
  return { label: engine.label, value, ci, hasInterval: true, capacity, lowest };
}

/**
 * The engine that carries the most load within the SLO: capacity at SLO on a sweep (its bound is
 * the levels it lies between), else goodput at each load level (its interval from the Wilson
 * interval of the share of requests that met every per-request objective).
 */
export function mostLoadWithinSlo(run: Pick<Run, 'engines' | 'slo'>): LoadAnswer {
  if (run.slo === null) return { kind: 'no slo' };
  const withCapacity = run.engines.filter((e): e is EngineRun & { capacityAtSlo: CapacityAtSlo } => e.capacityAtSlo !== undefined);
  if (withCapacity.length > 0) {
    const engines = withCapacity.map((e) => capacityEvidence(e, e.capacityAtSlo));
    return { kind: 'capacity', unit: engines[0]!.capacity.unit, engines, ruling: capacityRuling(engines) };
  }
  const levels = phaseGroups(run).flatMap((group): GoodputLevel[] => {
    const engines = group.rows.flatMap(({ engine, phase }): GoodputEvidence[] => {
      const goodput = phase.slo?.goodput;
      if (goodput === null || goodput === undefined) return [];
      const total = phase.requests.total;
      const scale = phase.window.durationS > 0 ? total / phase.window.durationS : null;
      const share = proportionInterval(goodput.requests, total);
      const ci = scale === null || share.lo === null || share.hi === null ? UNBOUNDED : { lo: share.lo * scale, hi: share.hi * scale };
      // An engine that answered nothing is not a contender: how fast it failed would set its interval.
      return [{ label: engine.label, value: phase.requests.ok > 0 ? goodput.perS : null, ci, hasInterval: true, fraction: goodput.fraction, requests: goodput.requests, total }];
    });
    return engines.length === 0 ? [] : [{ phase: group.name, load: loadLabel(group.rows[0]!.phase.load), engines, ruling: rule(engines, 'higher') }];
  });
  return levels.length === 0 ? { kind: 'no goodput' } : { kind: 'goodput', levels };
}

/** The unit of a capacity in words: `12 concurrent users`, `3.5 requests/s`. */
export function capacityUnit(unit: CapacityAtSlo['unit'], value: number): string {
  const n = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit === 'concurrency' ? `${n} concurrent user${value === 1 ? '' : 's'}` : `${n} requests/s`;
}

/** A capacity as a reader takes it: the number and how it was found. */
export function capacityText(evidence: CapacityEvidence): string {
  const { capacity, lowest } = evidence;
  const at = (v: number): string => capacityUnit(capacity.unit, v);
  switch (capacity.how) {
    case 'measured':
      return `${at(capacity.value!)}, measured${capacity.between ? ` (the next level, ${at(capacity.between[1])}, missed)` : ''}`;
    case 'interpolated':
      return `about ${at(capacity.value!)}, interpolated${capacity.between ? ` between ${at(capacity.between[0])} (met) and ${at(capacity.between[1])} (missed)` : ''}`;
    case 'above highest level':
      return `at least ${at(capacity.value!)}: every level measured met the SLO`;
    case 'below lowest level':
      return `below ${lowest === null ? 'the lowest level measured' : at(lowest)}: the lowest level measured already missed the SLO`;
    case 'inconclusive':
      return capacity.value === null
        ? 'inconclusive: the verdict at the lowest level is inconclusive'
        : `at least ${at(capacity.value)}; inconclusive above it${capacity.between ? ` (at ${at(capacity.between[1])})` : ''}`;
  }
}

/** `21.9 ms (15.0–30.1)`: a value in its unit with its 95 % interval. */
export function estimateText(e: Evidence, format: (v: number) => string, unit: string): string {
  if (e.value === null) return 'no data';
  return `${format(e.value)}${unit ? ` ${unit}` : ''} (${e.hasInterval ? interval(e.ci, format) : 'no interval recorded'})`;
}

/**
 * The answer at one load level in a sentence: the clear winner and who follows, or "no clear
 * winner" and the overlapping evidence. `what` names the value (`TTFT p50`).
 */
export function rulingSentence<T extends Evidence>(ruling: Ruling<T>, what: string, format: (v: number) => string, unit: string): string {
  const { winner, ranked, alone, missing } = ruling;
  const [best, next] = ranked;
  const none = missing.length === 0 ? '' : ` No successful request from ${missing.join(', ')}.`;
  if (best === undefined) return 'No data: no engine was measured successfully here.';
  const of = (e: T): string => `${e.label}, ${what} ${estimateText(e, format, unit)}`;
  if (alone) return `Only ${of(best)}: nothing to compare with.${none}`;
  if (winner !== null) return `${of(winner)}${next ? `, ahead of ${next.label} at ${estimateText(next, format, unit)}` : ''}: the 95 % intervals do not overlap.${none}`;
  if (ranked.some((e) => !e.hasInterval)) {
    const plain = (e: T): string => `${format(e.value!)}${unit ? ` ${unit}` : ''}`;
    return `No clear winner: ${best.label}, ${what} ${plain(best)}, and ${next!.label} at ${plain(next!)} cannot be told apart: this run recorded no intervals (it was written before run format v4).${none}`;
  }
  return `No clear winner: ${of(best)} and ${next!.label} at ${estimateText(next!, format, unit)} overlap at 95 % confidence.${none}`;
}
