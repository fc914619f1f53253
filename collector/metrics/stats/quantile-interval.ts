// Distribution-free confidence intervals for a quantile from order statistics. Of n independent
// samples, the number B at or below the true q-quantile is Binomial(n, q), so the interval
// [x(l), x(u)] between the l-th and u-th smallest samples holds it whenever l <= B < u: with
// probability P(l <= B < u) whatever the distribution. No resampling, no normality assumption.
import { binomialCells } from './binomial.ts';
import { type Bound, CONFIDENCE, checkLevel } from './bound.ts';

/** Ranks 1…n of the order statistics; l = 0 and u = n + 1 stand for an unbounded side. */
interface RankPair {
  l: number;
  u: number;
}

/**
 * The shortest pair of ranks l < u with P(l <= B < u) >= level, B ~ Binomial(n, q): first the
 * pair with fewest unbounded sides, then the fewest ranks between, then the most even tails.
 */
export function quantileRanks(n: number, q: number, level: number = CONFIDENCE): RankPair {
  checkLevel(level);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, got ${q}`);
  const { from, pmf } = binomialCells(n, q);
  const to = from + pmf.length - 1;
  const cumulative = new Float64Array(pmf.length);
  let sum = 0;
  pmf.forEach((cell, i) => { sum += cell; cumulative[i] = sum; });
  /** P(B <= k); the cells left out of the window are negligible. */
  const atMost = (k: number): number => (k < from ? 0 : k >= to ? 1 : cumulative[k - from]!);

  // The interval must hold the R-7 estimate printed beside it, which lies between the order
  // statistics at ranks ⌊h⌋ + 1 and ⌈h⌉ + 1: with 2 samples, [x(2), ∞) is a valid 95 % interval
  // for the p99 but would not contain the p99 shown, so [x(1), ∞) is given instead.
  const h = (n - 1) * q;
  const highestLower = Math.min(n, to + 1, Math.floor(h) + 1);
  const lowestUpper = Math.max(1, from + 1, Math.ceil(h) + 1);
  // Below the window every lower rank has the same (nil) tail, so only the highest is worth
  // trying; likewise above it. Rank 0 (unbounded) is tried in case no bounded rank will do.
  const lowers = [0];
  for (let l = Math.max(1, Math.min(from, highestLower)); l <= highestLower; l += 1) lowers.push(l);
  const uppers: number[] = [];
  for (let u = lowestUpper; u <= Math.min(n, Math.max(to + 1, lowestUpper)); u += 1) uppers.push(u);
  uppers.push(n + 1);

  let best: RankPair = { l: 0, u: n + 1 };
  let bestScore = [2, n + 1, 0];
  let j = 0;
  for (const l of lowers) {
    const below = atMost(l - 1);
    // Each higher l needs at least as high a u, so the search for u carries on where it stopped.
    while (j < uppers.length && (uppers[j]! <= l || atMost(uppers[j]! - 1) - below < level)) j += 1;
    if (j === uppers.length) break;
    const u = uppers[j]!;
    const above = 1 - atMost(u - 1);
    const score = [(l === 0 ? 1 : 0) + (u === n + 1 ? 1 : 0), u - l, Math.abs(below - above)];
    if (isBetter(score, bestScore)) {
      best = { l, u };
      bestScore = score;
    }
  }
  return best;
}

function isBetter(score: number[], than: number[]): boolean {
  for (let i = 0; i < score.length; i += 1) {
    if (score[i]! !== than[i]!) return score[i]! < than[i]!;
  }
  return false;
}

/** Distribution-free 95 % interval for the q-quantile from order statistics (exact binomial). */
export function quantileInterval(sorted: ArrayLike<number>, q: number, level: number = CONFIDENCE): Bound {
  const n = sorted.length;
  const { l, u } = quantileRanks(n, q, level);
  return { lo: l === 0 ? null : sorted[l - 1]!, hi: u === n + 1 ? null : sorted[u - 1]! };
}

/**
 * Fewest samples for which quantileInterval(q) is bounded on both sides: the widest bounded pair,
 * ranks 1 and n, covers with probability 1 - (1 - q)^n - q^n, which grows with n.
 */
export function minSamplesFor(q: number, level: number = CONFIDENCE): number {
  checkLevel(level);
  if (!(q > 0 && q < 1)) return Number.POSITIVE_INFINITY;
  // Both powers are at most max(q, 1 - q)^n, so n cannot be below this.
  let n = Math.max(1, Math.floor(Math.log(1 - level) / Math.log(Math.max(q, 1 - q))));
  while (1 - (1 - q) ** n - q ** n < level) n += 1;
  return n;
}
