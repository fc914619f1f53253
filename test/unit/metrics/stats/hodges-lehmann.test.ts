import { describe, expect, it } from 'vitest';
import { hodgesLehmann } from '../../../../collector/metrics/stats/index.ts';
import { MAX_PAIRS } from '../../../../collector/metrics/stats/hodges-lehmann.ts';

describe('hodgesLehmann', () => {
  it('is the median of all pairwise differences', () => {
    // a − b over [10, 20] × [1, 2, 4]: 9, 8, 6, 19, 18, 16; median of six = (9 + 16) / 2.
    expect(hodgesLehmann([10, 20], [1, 2, 4])).toBe(12.5);
  });

  it('barely moves for one wild outlier, unlike a difference of means', () => {
    const base = [100, 101, 102, 103, 104];
    const head = [110, 111, 112, 113, 10_000];
    expect(hodgesLehmann(head, base)).toBe(10);
  });

  it('samples pairs deterministically above the cap and stays close to the full answer', () => {
    // 1,100 × 1,000 pairs is over the cap. b is a shifted copy of a's grid, so the true shift is 3.
    const a = Array.from({ length: 1_100 }, (_, i) => 3 + (i * 1_000) / 1_100);
    const b = Array.from({ length: 1_000 }, (_, i) => i);
    expect(a.length * b.length).toBeGreaterThan(MAX_PAIRS);
    const shift = hodgesLehmann(a, b)!;
    expect(hodgesLehmann(a, b)).toBe(shift);
    // Differences span about ±1,000; a tenth of a percent of that is 2.
    expect(Math.abs(shift - 3)).toBeLessThan(2);
  });

  it('is undefined for an empty sample', () => {
    expect(hodgesLehmann([], [1])).toBeNull();
  });
});
