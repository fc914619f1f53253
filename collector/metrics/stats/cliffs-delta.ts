// Cliff's δ: how often a value from a beats a value from b, minus how often it loses, over every
// pair. −1 when all of a lies below b, +1 when all above, 0 when neither tends larger. It is the
// Mann–Whitney U rescaled (δ = 2U / nm − 1), so it is computed from ranks, not all n·m pairs.
import { uStatistic } from './ranks.ts';

/** (#(a > b) − #(a < b)) / (n·m); null when either sample is empty. */
export function cliffsDelta(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const pairs = a.length * b.length;
  if (pairs === 0) return null;
  const { u } = uStatistic(a, b);
  return (2 * u) / pairs - 1;
}
