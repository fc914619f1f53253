// The change of a series' latest completed run against the run before it, per load level: each
// phase of the latest completed run is compared with the newest earlier completed run that has a
// phase of the same name, so a run that stopped early or added a level is never compared across
// levels. Computed once from the unrounded numbers; the chart caption and the Trends table both
// render these fractions, so they cannot disagree.
import type { Headline } from './runs.ts';

/** The numbers the Trends page compares, per phase (the same fields as a run's headline). */
export type PhaseNumbers = Headline;

export type ChangeField = 'ttftP50Ms' | 'e2eP95Ms' | 'outputTokensPerS' | 'successRate';
export const CHANGE_FIELDS: readonly ChangeField[] = ['ttftP50Ms', 'e2eP95Ms', 'outputTokensPerS', 'successRate'];

/** What phaseChanges needs of a series' point. */
export interface ChangePoint {
  runId: string;
  status: 'completed' | 'failed' | 'aborted' | 'partial';
  phases: readonly PhaseNumbers[];
}

export interface PhaseChange {
  phase: string;
  runId: string;
  /** The newest earlier completed run with a phase of this name; null when none has one. */
  previousRunId: string | null;
  /** Signed fractions (0.007 is +0.7 %); null without both numbers or against zero. */
  change: Record<ChangeField, number | null>;
}

/** (now − then) / then, or null without both numbers or when then is zero. */
export function relativeChange(now: number | null, then: number | null): number | null {
  if (now === null || then === null || !Number.isFinite(now) || !Number.isFinite(then) || then === 0) return null;
  return (now - then) / then;
}

/** Per phase of the latest completed run (in its order), the change against the previous completed run at that phase. */
export function phaseChanges(points: readonly ChangePoint[]): PhaseChange[] {
  const completed = points.filter((p) => p.status === 'completed' && p.phases.length > 0);
  const latest = completed.at(-1);
  if (latest === undefined) return [];
  const earlier = completed.slice(0, -1).reverse();
  return latest.phases.map((now) => {
    const previous = earlier.find((p) => p.phases.some((q) => q.phase === now.phase));
    const then = previous?.phases.find((q) => q.phase === now.phase);
    const change = Object.fromEntries(CHANGE_FIELDS.map((f) => [f, then === undefined ? null : relativeChange(now[f], then[f])])) as Record<ChangeField, number | null>;
    return { phase: now.phase, runId: latest.runId, previousRunId: previous?.runId ?? null, change };
  });
}
