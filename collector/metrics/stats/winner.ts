// Naming a winner only when the evidence separates it. The candidate with the best value wins
// when its interval lies entirely on the better side of every other candidate's interval; any
// overlap, or an unbounded side that could overlap, means "no clear winner".
import type { Bound } from './bound.ts';

export interface Candidate {
  label: string;
  value: number | null;
  ci: Bound;
}

export interface WinnerResult<T> {
  winner: T | null;
  reason: 'separated' | 'overlap' | 'no data';
  runnerUp: T | null;
}

/**
 * The best candidate only when its interval is separated from every other's; otherwise winner
 * null ("no clear winner"). Candidates without a value are left out; a single candidate with a
 * value has nobody to overlap and wins. runnerUp is the second best value, winner or not.
 */
export function clearWinner<T extends Candidate>(candidates: T[], better: 'lower' | 'higher'): WinnerResult<T> {
  const measured = candidates.filter((c): c is T & { value: number } => c.value !== null);
  // A stable sort keeps the caller's order between equal values.
  const ranked = measured.toSorted((a, b) => (better === 'lower' ? a.value - b.value : b.value - a.value));
  const best = ranked[0];
  if (best === undefined) return { winner: null, reason: 'no data', runnerUp: null };
  const runnerUp = ranked[1] ?? null;
  const separated = ranked.slice(1).every((other) => (better === 'lower'
    ? best.ci.hi !== null && other.ci.lo !== null && best.ci.hi < other.ci.lo
    : best.ci.lo !== null && other.ci.hi !== null && best.ci.lo > other.ci.hi));
  return separated ? { winner: best, reason: 'separated', runnerUp } : { winner: null, reason: 'overlap', runnerUp };
}
