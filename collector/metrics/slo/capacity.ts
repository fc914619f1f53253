// Capacity at SLO: over a sweep (phases of one load shape at increasing levels), the highest load
// that meets every objective. Between the last level met and the first missed, the objective that
// binds is taken as linear in its margin, and the load where its margin reaches zero is given,
// marked as interpolated: a reader sees which numbers were measured and which were not.
import type { CapacityAtSlo, PhaseSummary, SloVerdict } from '../../store/schema/index.ts';
import { round3 } from '../precision.ts';

type Unit = CapacityAtSlo['unit'];

interface Level {
  level: number;
  phase: PhaseSummary;
}

/** The load level of a phase and what it counts: users in a closed loop, requests/s in an open one. */
export function loadLevel(load: PhaseSummary['load']): { unit: Unit; level: number } | null {
  const value = (key: string): number | null => {
    const v = (load as Record<string, unknown>)[key];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
  };
  if (load.shape === 'closed-loop') {
    const level = value('concurrency');
    return level === null ? null : { unit: 'concurrency', level };
  }
  if (load.shape === 'constant-rate' || load.shape === 'poisson') {
    const level = value('rate');
    return level === null ? null : { unit: 'rate', level };
  }
  return null;
}

/**
 * The sweep among an engine's judged phases: the phases of one unit, two or more, each at its own
 * level (the same level twice, as with --compare-streaming, is not one sweep). When both units
 * make one, the one with more levels; rate on a tie (an auto sweep's levels are rates).
 */
export function sweepOf(phases: readonly PhaseSummary[]): { unit: Unit; levels: Level[] } | null {
  const byUnit = new Map<Unit, Level[]>();
  for (const phase of phases) {
    const at = loadLevel(phase.load);
    if (at === null || phase.slo === undefined) continue;
    byUnit.set(at.unit, [...(byUnit.get(at.unit) ?? []), { level: at.level, phase }]);
  }
  let best: { unit: Unit; levels: Level[] } | null = null;
  for (const unit of ['rate', 'concurrency'] as const) {
    const levels = [...(byUnit.get(unit) ?? [])].sort((a, b) => a.level - b.level);
    const distinct = new Set(levels.map((l) => l.level)).size === levels.length;
    if (levels.length >= 2 && distinct && (best === null || levels.length > best.levels.length)) best = { unit, levels };
  }
  return best;
}

/** Capacity at SLO of an engine's phases, or undefined when they are not a judged sweep. */
export function capacityAtSlo(phases: readonly PhaseSummary[]): CapacityAtSlo | undefined {
  const sweep = sweepOf(phases);
  if (sweep === null) return undefined;
  const { unit, levels } = sweep;
  const first = levels.findIndex((l) => l.phase.slo!.verdict !== 'met');
  if (first === -1) return { value: levels.at(-1)!.level, unit, how: 'above highest level', between: null };
  const failing = levels[first]!;
  const failed = failing.phase.slo!.verdict;
  if (first === 0) {
    return failed === 'missed'
      ? { value: null, unit, how: 'below lowest level', between: null }
      : { value: null, unit, how: 'inconclusive', between: null };
  }
  const met = levels[first - 1]!;
  const between: [number, number] = [met.level, failing.level];
  if (failed !== 'missed') return { value: met.level, unit, how: 'inconclusive', between };
  const crossing = bindingCrossing(met.phase.slo!.verdicts, failing.phase.slo!.verdicts);
  if (crossing === null) return { value: met.level, unit, how: 'measured', between };
  return { value: round3(met.level + crossing * (failing.level - met.level)), unit, how: 'interpolated', between };
}

/**
 * Where, as a fraction of the way from the met level to the missed one, the first objective missed
 * at the higher level runs out of margin; null when no missed objective has margins at both.
 */
function bindingCrossing(metVerdicts: readonly SloVerdict[], missedVerdicts: readonly SloVerdict[]): number | null {
  let earliest: number | null = null;
  for (const missed of missedVerdicts) {
    if (missed.verdict !== 'missed' || missed.margin === null) continue;
    const before = metVerdicts.find((v) => v.objective === missed.objective)?.margin ?? null;
    if (before === null || before <= missed.margin) continue;
    const t = Math.min(1, Math.max(0, before / (before - missed.margin)));
    if (earliest === null || t < earliest) earliest = t;
  }
  return earliest;
}
