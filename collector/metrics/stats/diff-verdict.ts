// A verdict on one metric of a run-over-run diff, read off the interval of Δ against a practical
// threshold τ: a change smaller than τ is not worth a reader's time even when it is real, and a
// change is only called a regression when the whole interval lies beyond τ and the test, adjusted
// for the family of metrics compared, agrees. docs/statistics.md ("Comparing two runs") defines each.
import type { Bound } from './bound.ts';

export type DiffVerdict = 'regression' | 'likely regression' | 'equivalent' | 'improvement' | 'likely improvement' | 'insufficient data';
export type Direction = 'lower-is-better' | 'higher-is-better';

/** τ: changes within ±5 % count as equivalent unless configured otherwise. */
export const DEFAULT_THRESHOLD = 0.05;
/** The false discovery rate the adjusted p is held to. */
export const DEFAULT_FDR = 0.05;
/** Fewest values per side by default; pass minSamplesFor(q) when Δ is of a quantile. */
export const DEFAULT_MIN_SAMPLES = 10;

export interface DiffEvidence {
  /** Δ = head / base − 1; null when undefined. */
  delta: number | null;
  /** The interval of Δ. */
  ci: Bound;
  /** The Benjamini–Hochberg-adjusted p of the metric's test; null when there was none. */
  p: number | null;
  direction: Direction;
  /** τ, a fraction (0.05 for 5 %). */
  threshold?: number;
  /** The false discovery rate q the adjusted p must be below for a regression or improvement. */
  q?: number;
  /** Values on each side. */
  samples: { base: number; head: number };
  minSamples?: number;
}

/** Which of the six verdicts the evidence supports; see docs/statistics.md. */
export function diffVerdict(evidence: DiffEvidence): DiffVerdict {
  const { delta, ci, p, direction, threshold = DEFAULT_THRESHOLD, q = DEFAULT_FDR, samples, minSamples = DEFAULT_MIN_SAMPLES } = evidence;
  if (!(threshold >= 0)) throw new RangeError(`threshold must be a fraction >= 0, got ${threshold}`);
  if (delta === null || ci.lo === null || ci.hi === null) return 'insufficient data';
  if (Math.min(samples.base, samples.head) < minSamples) return 'insufficient data';
  // "Worse" as a positive number whichever way the metric points: for latency Δ itself.
  const sign = direction === 'lower-is-better' ? 1 : -1;
  const worse = sign * delta;
  const worseLo = Math.min(sign * ci.lo, sign * ci.hi);
  const worseHi = Math.max(sign * ci.lo, sign * ci.hi);
  const significant = p !== null && p < q;
  if (worseLo > threshold && significant) return 'regression';
  if (worseHi < -threshold && significant) return 'improvement';
  if (worseLo >= -threshold && worseHi <= threshold) return 'equivalent';
  // The point beyond τ and the interval clear of 0, but not all of it beyond τ (or the test not
  // significant after the family's adjustment): probably a change, not yet proven one worth acting on.
  if (worse > threshold && worseLo > 0) return 'likely regression';
  if (worse < -threshold && worseHi < 0) return 'likely improvement';
  // The interval straddles τ with the point inside it, or reaches past ±τ on both sides of 0.
  return 'insufficient data';
}
