// The Hodges–Lehmann shift: the median of all differences a_i − b_j, the rank-based estimate of
// how far a sits above b. Unlike a difference of medians it uses every value, and unlike a
// difference of means one slow outlier barely moves it. There are n·m differences (100 million
// for two phases of 10,000 requests), so the median is found without listing them: with both
// samples sorted, how many differences lie at or below a value takes one pass over the two, and
// bisecting on that value narrows the middle down to a few differences, which are then listed.
/** Median of a_i − b_j over all n·m pairs, exactly; null when either sample is empty. */
export function hodgesLehmann(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return null;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) throw new RangeError('cannot take differences of NaN');
  const pairs = n * m;
  // The median of R-7: the middle difference, or the mean of the two middle ones.
  if (pairs % 2 === 1) return kthDifference(x, y, (pairs + 1) / 2);
  const lower = kthDifference(x, y, pairs / 2);
  // Interpolated as quantile() does, so the answer matches the median of the listed differences to the bit.
  return lower + (kthDifference(x, y, pairs / 2 + 1) - lower) * 0.5;
}

/**
 * Pairs with x_i − y_j ≤ d (or < d when strict). The differences are computed exactly as listed
 * below, and rounding keeps them monotone (up in i, down in j), so one pointer over y suffices.
 */
function countAtMost(x: Float64Array, y: Float64Array, d: number, strict = false): number {
  let count = 0;
  let j = 0;
  for (let i = 0; i < x.length; i += 1) {
    while (j < y.length && (strict ? x[i]! - y[j]! >= d : x[i]! - y[j]! > d)) j += 1;
    count += y.length - j;
  }
  return count;
}

/** The k-th smallest (1-based) of all x_i − y_j, for ascending x and y. */
function kthDifference(x: Float64Array, y: Float64Array, k: number): number {
  let lo = x[0]! - y[y.length - 1]!;
  if (countAtMost(x, y, lo) >= k) return lo;
  let hi = x[x.length - 1]! - y[0]!;
  let belowLo = countAtMost(x, y, lo);
  // Invariant: fewer than k differences are ≤ lo, at least k are ≤ hi.
  for (;;) {
    // Exactly hi when fewer than k lie below it (this also ends runs of tied differences).
    if (countAtMost(x, y, hi, true) < k) return hi;
    if (countAtMost(x, y, hi) - belowLo <= x.length + y.length) return listedKth(x, y, lo, hi, k - belowLo);
    // Halves of each, so two huge values of opposite sign cannot overflow.
    const mid = lo / 2 + hi / 2;
    const atMostMid = countAtMost(x, y, mid);
    if (atMostMid >= k) hi = mid;
    else {
      lo = mid;
      belowLo = atMostMid;
    }
  }
}

/** The rank-th smallest of the differences in (lo, hi], listed: there are few of them. */
function listedKth(x: Float64Array, y: Float64Array, lo: number, hi: number, rank: number): number {
  const inside: number[] = [];
  // For each x_i the differences in (lo, hi] are y_j for j from atMostHi (the first with a
  // difference ≤ hi) up to atMostLo (the first ≤ lo); both move only forward as x_i grows.
  let atMostHi = 0;
  let atMostLo = 0;
  for (let i = 0; i < x.length; i += 1) {
    while (atMostHi < y.length && x[i]! - y[atMostHi]! > hi) atMostHi += 1;
    while (atMostLo < y.length && x[i]! - y[atMostLo]! > lo) atMostLo += 1;
    for (let j = atMostHi; j < atMostLo; j += 1) inside.push(x[i]! - y[j]!);
  }
  return Float64Array.from(inside).sort()[rank - 1]!;
}
