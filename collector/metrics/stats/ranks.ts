// Midranks of two samples pooled, the common ground of the Mann–Whitney U and Cliff's δ: tied
// values share the mean of the ranks they span, and the tie groups' sizes feed the variance
// correction of the normal approximation.

export interface PooledRanks {
  /** Sum of the midranks (1-based) of the first sample's values in the pooled sample. */
  rankSumA: number;
  /** Σ (t³ − t) over groups of t tied values; 0 when no two values are equal. */
  tieTerm: number;
}

/** Midranks of a's values among a and b pooled; O((n + m) log(n + m)). */
export function pooledRanks(a: ArrayLike<number>, b: ArrayLike<number>): PooledRanks {
  const n = a.length;
  const pooled = Array.from({ length: n + b.length }, (_, i) => ({ value: i < n ? a[i]! : b[i - n]!, fromA: i < n }));
  for (const { value } of pooled) {
    if (Number.isNaN(value)) throw new RangeError('cannot rank NaN');
  }
  pooled.sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start + 1;
    while (end < pooled.length && pooled[end]!.value === pooled[start]!.value) end += 1;
    const t = end - start;
    // Ranks start + 1 … end, so their mean is (start + 1 + end) / 2.
    const midrank = (start + 1 + end) / 2;
    for (let i = start; i < end; i += 1) {
      if (pooled[i]!.fromA) rankSumA += midrank;
    }
    tieTerm += t ** 3 - t;
    start = end;
  }
  return { rankSumA, tieTerm };
}

/** U of the first sample: #(a > b) + ½ #(a = b) over all n·m pairs. */
export function uStatistic(a: ArrayLike<number>, b: ArrayLike<number>): { u: number; tieTerm: number } {
  const { rankSumA, tieTerm } = pooledRanks(a, b);
  return { u: rankSumA - (a.length * (a.length + 1)) / 2, tieTerm };
}
