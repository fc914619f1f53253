// The Mann–Whitney U test (Wilcoxon rank-sum): do values from a tend to be larger or smaller than
// values from b? Distribution-free, so a long latency tail does not swamp it as it would a t-test.
// Without ties and with both samples under 50 (R's wilcox.test rule) the p-value is exact, from
// the permutation distribution of U; otherwise it is the normal approximation with the variance
// corrected for ties and a continuity correction of ½.
import { errorFunction } from 'simple-statistics';
import { uStatistic } from './ranks.ts';

/** Both samples below this size and no ties: exact p (the distribution costs about n²m²/4 steps). */
const EXACT_BELOW = 50;

export interface MannWhitneyResult {
  /** U of a: #(a > b) + ½ #(a = b), from 0 to n·m; n·m / 2 when neither side tends larger. */
  u: number;
  /** Two-sided p-value; null with an empty sample. */
  p: number | null;
  /** 'exact' from the permutation distribution, 'normal' from the tie-corrected approximation. */
  method: 'exact' | 'normal';
}

/** Two-sided Mann–Whitney U test of a against b. */
export function mannWhitney(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { u: 0, p: null, method: 'normal' };
  const { u, tieTerm } = uStatistic(a, b);
  if (tieTerm === 0 && n < EXACT_BELOW && m < EXACT_BELOW) return { u, p: exactP(u, n, m), method: 'exact' };
  return { u, p: normalP(u, n, m, tieTerm), method: 'normal' };
}

/** Two-sided p: twice the smaller tail of U's normal approximation, variance corrected for ties. */
function normalP(u: number, n: number, m: number, tieTerm: number): number {
  const total = n + m;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value equal: U cannot vary, so nothing is evidence of a difference.
  if (!(variance > 0)) return 1;
  const z = Math.max(0, Math.abs(u - (n * m) / 2) - 0.5) / Math.sqrt(variance);
  // 2 · (1 − Φ(z)) = 1 − erf(z / √2).
  return Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
}

/**
 * U's distribution without ties: every way to split the n + m ranks is equally likely under the
 * null, and P(U = k) for sizes (i, j) follows from whether the largest value belongs to a (then it
 * beats all j values of b) or to b: P_ij(k) = i/(i+j) · P_(i−1)j(k − j) + j/(i+j) · P_i(j−1)(k).
 */
function exactDistribution(n: number, m: number): Float64Array {
  // row[j] holds the distribution for the current i and that j; probabilities, so no overflow.
  let row: Float64Array[] = Array.from({ length: m + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= n; i += 1) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= m; j += 1) {
      // fromA is written first, onto zeros, so a plain assignment is the sum.
      const cells = new Float64Array(i * j + 1);
      const fromA = row[j]!;
      const fromB = next[j - 1]!;
      for (let k = 0; k < fromA.length; k += 1) cells[k + j] = (i / (i + j)) * fromA[k]!;
      for (let k = 0; k < fromB.length; k += 1) cells[k] = cells[k]! + (j / (i + j)) * fromB[k]!;
      next.push(cells);
    }
    row = next;
  }
  return row[m]!;
}

/**
 * P(U = k) for sizes (n, m), kept per size: a diff tests many metrics over the same requests, so
 * the same sizes recur. Bounded so a long-lived process cannot grow it without end.
 */
const distributions = new Map<string, Float64Array>();
const MAX_CACHED = 64;

/** Two-sided exact p without ties: twice the smaller tail of U's permutation distribution. */
function exactP(u: number, n: number, m: number): number {
  const key = `${n}x${m}`;
  let dist = distributions.get(key);
  if (dist === undefined) {
    if (distributions.size >= MAX_CACHED) distributions.clear();
    dist = exactDistribution(n, m);
    distributions.set(key, dist);
  }
  // U is a whole number without ties; round away float dust before indexing.
  const k = Math.round(u);
  let below = 0;
  let above = 0;
  for (let x = 0; x < dist.length; x += 1) {
    if (x <= k) below += dist[x]!;
    if (x >= k) above += dist[x]!;
  }
  return Math.min(1, 2 * Math.min(below, above));
}
