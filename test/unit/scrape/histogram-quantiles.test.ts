// Quantile math on hand-made bucket deltas, worked out by hand the way histogram_quantile() does it.
import { describe, expect, it } from 'vitest';
import {
  addBuckets,
  bucketsFromSamples,
  histogramQuantile,
  phaseQuantiles,
  subtractBuckets,
  type Bucket,
} from '../../../collector/scrape/histogram-quantiles.ts';
import type { Sample } from '../../../collector/scrape/parse.ts';

const INF = Number.POSITIVE_INFINITY;
const buckets = (pairs: [number, number][]): Bucket[] => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    const b = buckets([[1, 10], [2, 30], [4, 40], [INF, 40]]);
    expect(histogramQuantile(0.5, b)).toBeCloseTo(1.5, 12); // rank 20: 1 + 1·(10/20)
    expect(histogramQuantile(0.9, b)).toBeCloseTo(3.2, 12); // rank 36: 2 + 2·(6/10)
    expect(histogramQuantile(0.99, b)).toBeCloseTo(3.92, 12); // rank 39.6: 2 + 2·(9.6/10)
  });

  it('starts the first bucket at 0', () => {
    expect(histogramQuantile(0.5, buckets([[0.5, 4], [INF, 4]]))).toBeCloseTo(0.25, 12);
  });

  it('answers the highest finite bound for a rank in the +Inf bucket', () => {
    const b = buckets([[1, 0], [2, 0], [4, 5], [INF, 10]]);
    expect(histogramQuantile(0.5, b)).toBe(4); // rank 5 exactly fills le=4
    expect(histogramQuantile(0.9, b)).toBe(4);
    expect(histogramQuantile(0.99, buckets([[INF, 3]]))).toBeNull(); // no finite bound to answer
  });

  it('is null with no observation', () => {
    expect(histogramQuantile(0.5, [])).toBeNull();
    expect(histogramQuantile(0.5, buckets([[1, 0], [INF, 0]]))).toBeNull();
  });

  it('accepts buckets in any order, a missing +Inf and a torn (non-monotonic) scrape', () => {
    expect(histogramQuantile(0.5, buckets([[INF, 40], [2, 30], [1, 10], [4, 40]]))).toBeCloseTo(1.5, 12);
    expect(histogramQuantile(0.5, buckets([[1, 4]]))).toBeCloseTo(0.5, 12);
    // le=2 read lower than le=1: taken as 10, so rank 18 interpolates over (2, 4] from 10: 2 + 2·(8/10).
    expect(histogramQuantile(0.9, buckets([[1, 10], [2, 8], [4, 20], [INF, 20]]))).toBeCloseTo(3.6, 12);
  });

  it('rejects a quantile outside 0..1', () => {
    expect(() => histogramQuantile(1.5, buckets([[1, 1], [INF, 1]]))).toThrow(RangeError);
  });
});

describe('bucket deltas', () => {
  it('subtracts the first scrape from the last, bound by bound', () => {
    const first = buckets([[1, 5], [2, 10], [INF, 10]]);
    const last = buckets([[1, 7], [2, 20], [INF, 25]]);
    const delta = subtractBuckets(last, first);
    expect(delta).toEqual(buckets([[1, 2], [2, 10], [INF, 15]]));
    expect(histogramQuantile(0.5, delta)).toBeCloseTo(1 + 5.5 / 8, 12); // rank 7.5 in (1, 2]
    expect(histogramQuantile(0.9, delta)).toBe(2); // rank 13.5 in +Inf
  });

  it('counts a histogram that appeared in between from 0, and an unchanged one as empty', () => {
    const last = buckets([[1, 3], [INF, 4]]);
    expect(subtractBuckets(last, [])).toEqual(last);
    expect(histogramQuantile(0.5, subtractBuckets(last, last))).toBeNull();
  });

  it('adds label sets bound by bound', () => {
    expect(addBuckets(buckets([[1, 1], [INF, 2]]), buckets([[INF, 3], [1, 2]]))).toEqual(buckets([[1, 3], [INF, 5]]));
  });

  it('reads le labels from _bucket samples', () => {
    const samples: Sample[] = [
      { name: 'x_bucket', labels: { le: '+Inf' }, value: 4 },
      { name: 'x_bucket', labels: { le: '0.5' }, value: 1 },
      { name: 'x_sum', labels: {}, value: 9 },
    ];
    expect(bucketsFromSamples(samples)).toEqual(buckets([[0.5, 1], [INF, 4]]));
  });
});

describe('phaseQuantiles', () => {
  it('reports count and p50/p90/p99 in ms', () => {
    const q = phaseQuantiles('ttft', 'vllm:time_to_first_token_seconds', buckets([[0.1, 10], [0.2, 30], [0.4, 40], [INF, 40]]), 1000);
    expect(q).toEqual({ name: 'ttft', metric: 'vllm:time_to_first_token_seconds', count: 40, p50: 150, p90: 320, p99: 392 });
  });

  it('is all null with count 0 when nothing was observed in the phase', () => {
    expect(phaseQuantiles('e2e', 'm', buckets([[1, 0], [INF, 0]]), 1000)).toEqual({ name: 'e2e', metric: 'm', count: 0, p50: null, p90: null, p99: null });
  });
});
