// Summary statistics of one sample. d3-array's quantileSorted is the R-7 (numpy default) estimator.
// Each percentile carries its 95 % interval from the same sorted samples (order statistics, no
// resampling), so a p99 over 12 samples says it is unbounded rather than passing for a p99.
import { quantileSorted, deviation } from 'd3-array';
import type { Bound, Distribution } from '../store/schema/index.ts';
import { quantileInterval } from './stats/index.ts';
import { round3 } from './precision.ts';

export function summarize(values: ArrayLike<number>): Distribution {
  // A typed array sorts numerically and compactly; d3 only needs index access and length.
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  const count = sorted.length;
  if (count === 0) {
    return { count, mean: null, min: null, p50: null, p90: null, p95: null, p99: null, max: null, stdev: null, ci95: percentileIntervals(sorted) };
  }
  let sum = 0;
  for (const value of sorted) sum += value;
  const q = (p: number): number => round3(quantileSorted(sorted, p) ?? Number.NaN);
  return {
    count,
    mean: round3(sum / count),
    min: round3(sorted[0]!),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    max: round3(sorted[count - 1]!),
    stdev: count > 1 ? round3(deviation(sorted) ?? 0) : 0,
    ci95: percentileIntervals(sorted),
  };
}

function percentileIntervals(sorted: ArrayLike<number>): NonNullable<Distribution['ci95']> {
  const ci = (q: number): Bound => {
    const { lo, hi } = quantileInterval(sorted, q);
    return { lo: lo === null ? null : round3(lo), hi: hi === null ? null : round3(hi) };
  };
  return { p50: ci(0.5), p90: ci(0.9), p95: ci(0.95), p99: ci(0.99) };
}
