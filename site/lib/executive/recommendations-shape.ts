// What a recommendation is, and the two things every rule needs: where a phase sits on the load
// axis in words, and one recommendation per engine that names the phase where a rule bites worst.
import type { PhaseSummary } from '../../../collector/store/schema/index.ts';
import { loadLevel } from '../charts/data.ts';
import { rate } from '../format.ts';

export type Severity = 'critical' | 'warning' | 'info';

export interface Recommendation {
  /** The engine's label, or null for the whole run. */
  engine: string | null;
  /** The phase it is about (the worst one when several are), or null for the whole engine. */
  phase: string | null;
  /** critical: this engine's numbers cannot be used as they stand; warning: the engine is not set up for this load; info: worth knowing. */
  severity: Severity;
  finding: string;
  /** The number(s) that triggered it, with where they come from. */
  evidence: string;
  action: string;
}

/** `at 16 users (c16)`, `at 4.0 requests/s (r4)`, or `in ramp-up` when the phase has no single level. */
export function atLoad(phase: Pick<PhaseSummary, 'name' | 'load'>): string {
  const level = loadLevel(phase.load);
  if (level === null) return `in ${phase.name}`;
  const amount = level.kind === 'concurrency' ? `${level.level} ${level.level === 1 ? 'user' : 'users'}` : `${rate(level.level)} requests/s`;
  return `at ${amount} (${phase.name})`;
}

/** A rule's hit in one phase: how bad (higher is worse) and the numbers that show it. */
export interface PhaseHit {
  phase: string;
  score: number;
  evidence: string;
}

/** The worst of an engine's hits for one rule, naming the other phases it also fired in; null when none. */
export function worstHit(hits: PhaseHit[]): PhaseHit | null {
  const worst = hits.reduce<PhaseHit | null>((a, b) => (a === null || b.score > a.score ? b : a), null);
  if (worst === null) return null;
  const others = hits.filter((hit) => hit !== worst).map((hit) => hit.phase);
  return others.length === 0 ? worst : { ...worst, evidence: `${worst.evidence}; also in ${others.join(', ')}` };
}
