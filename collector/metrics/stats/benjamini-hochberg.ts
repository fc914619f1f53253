// The Benjamini–Hochberg correction: a diff tests a dozen metrics at once, and at p < 0.05 each,
// one in twenty unchanged metrics would look changed. BH keeps the expected share of false
// discoveries among those flagged at q instead.

export interface AdjustedPValues {
  /** BH-adjusted p-values, in the input's order: each ≥ its raw p, at most 1, monotone in raw p. */
  adjusted: number[];
  /** Whether each test is a discovery at the false discovery rate q (adjusted p ≤ q). */
  discoveries: boolean[];
}

/** Adjusted p = min over the raw p's at or above it of (m / rank) · p, capped at 1. */
export function benjaminiHochberg(pValues: readonly number[], q: number = 0.05): AdjustedPValues {
  if (!(q > 0 && q < 1)) throw new RangeError(`false discovery rate must be between 0 and 1, got ${q}`);
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be between 0 and 1, got ${p}`);
  }
  const count = pValues.length;
  const order = pValues.map((_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!);
  const adjusted = new Array<number>(count);
  // From the largest p down, carrying the running minimum, so the adjusted values never cross.
  let runningMin = 1;
  for (let rank = count; rank >= 1; rank -= 1) {
    const index = order[rank - 1]!;
    runningMin = Math.min(runningMin, (count / rank) * pValues[index]!);
    adjusted[index] = runningMin;
  }
  return { adjusted, discoveries: adjusted.map((p) => p <= q) };
}
