// A verdict on one objective from a measured value and its interval. Judging the interval rather
// than the point keeps a lucky or unlucky sample from deciding: an interval that straddles the
// threshold is "inconclusive", and an unbounded side can never prove anything.
import type { Bound } from './bound.ts';

export type Comparison = '<' | '<=' | '>' | '>=';
export type Verdict = 'met' | 'missed' | 'inconclusive' | 'no data';

/** Whether a value satisfies `value op threshold`. */
export function satisfies(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    case '>=': return value >= threshold;
  }
}

/** met when the whole interval satisfies the objective, missed when none of it does, else inconclusive. */
export function verdictFor(measured: number | null, ci: Bound, op: Comparison, threshold: number): Verdict {
  if (measured === null) return 'no data';
  // For an upper limit ('<', '<=') the interval's top must satisfy it and its bottom decides a
  // miss; for a lower limit ('>', '>=') the other way round. A null side stands for ±infinity.
  const upperLimit = op === '<' || op === '<=';
  const best = upperLimit ? ci.lo : ci.hi;
  const worst = upperLimit ? ci.hi : ci.lo;
  if (worst !== null && satisfies(worst, op, threshold)) return 'met';
  if (best !== null && !satisfies(best, op, threshold)) return 'missed';
  return 'inconclusive';
}
