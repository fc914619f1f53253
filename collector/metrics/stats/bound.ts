// The shape every interval in a run takes, and the confidence level servebench reports at.

/** The confidence level of every interval servebench shows. */
export const CONFIDENCE = 0.95;

/** A confidence interval; a null side is unbounded: too few samples to bound it. */
export interface Bound {
  lo: number | null;
  hi: number | null;
}

/** Throws unless level is a probability strictly between 0 and 1. */
export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be between 0 and 1, got ${level}`);
}
