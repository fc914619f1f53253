import { describe, expect, it } from 'vitest';
import { summarize } from '../../../collector/metrics/distribution.ts';
import { minSamplesFor } from '../../../collector/metrics/stats/index.ts';

describe('summarize', () => {
  it('gives each percentile a 95 % interval that holds it, from the same samples', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 10);
    const d = summarize(values);
    for (const p of ['p50', 'p90', 'p95', 'p99'] as const) {
      const { lo, hi } = d.ci95![p];
      expect(lo!, p).toBeLessThanOrEqual(d[p]!);
      expect(hi!, p).toBeGreaterThanOrEqual(d[p]!);
      // About ±1.96·√(q(1−q)/n) of the range: 6.2 wide at the median of 1,000 uniform samples on [0, 100).
      expect(hi! - lo!, p).toBeLessThan(7);
    }
  });

  it('leaves the p99 interval open above when there are too few samples to bound it', () => {
    const few = summarize(Array.from({ length: minSamplesFor(0.99) - 1 }, (_, i) => i));
    expect(few.ci95!.p99.hi).toBeNull();
    expect(few.ci95!.p50).toEqual({ lo: expect.any(Number), hi: expect.any(Number) });
    expect(summarize([]).ci95).toEqual({ p50: { lo: null, hi: null }, p90: { lo: null, hi: null }, p95: { lo: null, hi: null }, p99: { lo: null, hi: null } });
  });
});
