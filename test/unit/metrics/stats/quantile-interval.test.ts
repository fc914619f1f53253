import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minSamplesFor, quantile, quantileInterval } from '../../../../collector/metrics/stats/index.ts';
import { binomialCells } from '../../../../collector/metrics/stats/binomial.ts';
import { quantileRanks } from '../../../../collector/metrics/stats/quantile-interval.ts';

/** 1, 2, …, n: the k-th smallest value is k, so an interval reads as the ranks it chose. */
const ranks = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

/** P(B <= k) for B ~ Binomial(n, p), summed term by term from the definition. */
function binomialCdf(n: number, p: number, k: number): number {
  let total = 0;
  for (let i = 0; i <= k; i += 1) {
    let choose = 1;
    for (let j = 1; j <= i; j += 1) choose = (choose * (n - i + j)) / j;
    total += choose * p ** i * (1 - p) ** (n - i);
  }
  return total;
}

describe('quantile', () => {
  it('is the R-7 estimate the phase summaries print', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 10);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('is null for no values', () => {
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('binomialCells', () => {
  it('matches the binomial mass function term by term', () => {
    const { from, pmf } = binomialCells(20, 0.3);
    pmf.forEach((cell, i) => {
      const k = from + i;
      expect(cell).toBeCloseTo(binomialCdf(20, 0.3, k) - (k > 0 ? binomialCdf(20, 0.3, k - 1) : 0), 12);
    });
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('keeps only the cells around the mode for a million trials', () => {
    const { from, pmf } = binomialCells(1_000_000, 0.5);
    expect(from).toBeGreaterThan(490_000);
    expect(pmf.length).toBeLessThan(20_000);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});

describe('quantileInterval', () => {
  it('gives the 6th and 15th of 20 samples for the median, as the binomial table does', () => {
    // P(6 <= B <= 14) = 1 - 2·P(B <= 5) = 0.9586 for B ~ Binomial(20, 0.5); ranks 7 and 14 cover only 0.8847.
    expect(1 - 2 * binomialCdf(20, 0.5, 5)).toBeCloseTo(0.9586, 4);
    expect(1 - 2 * binomialCdf(20, 0.5, 6)).toBeLessThan(0.95);
    expect(quantileInterval(ranks(20), 0.5)).toEqual({ lo: 6, hi: 15 });
  });

  it('leaves the p99 of 12 samples unbounded above, bounded below by the 11th', () => {
    // 0.99^12 = 0.886 of the time all 12 samples fall below the true p99: nothing bounds it from above.
    expect(quantileInterval(ranks(12), 0.99)).toEqual({ lo: 11, hi: null });
  });

  it('bounds neither side of anything from no samples', () => {
    expect(quantileInterval([], 0.5)).toEqual({ lo: null, hi: null });
  });

  it('reads the values at the chosen ranks, not the ranks themselves', () => {
    const values = Float64Array.from(ranks(20), (k) => k * k);
    expect(quantileInterval(values, 0.5)).toEqual({ lo: 36, hi: 225 });
  });

  it('covers at least the requested level at other levels too', () => {
    const n = 50;
    for (const level of [0.8, 0.9, 0.99]) {
      const { lo, hi } = quantileInterval(ranks(n), 0.9, level);
      const l = lo ?? 0;
      const u = hi ?? n + 1;
      const coverage = (u - 1 >= n ? 1 : binomialCdf(n, 0.9, u - 1)) - (l - 1 < 0 ? 0 : binomialCdf(n, 0.9, l - 1));
      expect(coverage).toBeGreaterThanOrEqual(level);
    }
  });

  it('chooses ranks that cover at least 95 % for any sample size and quantile', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, q) => {
        const { l, u } = quantileRanks(n, q);
        const { from, pmf } = binomialCells(n, q);
        let coverage = 0;
        pmf.forEach((cell, i) => { if (from + i >= l && from + i < u) coverage += cell; });
        expect(coverage).toBeGreaterThanOrEqual(0.95 - 1e-12);
      }),
      { numRuns: 500 },
    );
  });

  it('always holds the R-7 estimate printed beside it', () => {
    // With 2 samples [x(2), ∞) would be a valid p99 interval, but the p99 printed lies below x(2).
    expect(quantileInterval([1, 2], 0.99)).toEqual({ lo: 1, hi: null });
  });

  it('rejects a quantile or a level outside its range', () => {
    expect(() => quantileInterval(ranks(10), 1.5)).toThrow(RangeError);
    expect(() => quantileInterval(ranks(10), 0.5, 1)).toThrow(RangeError);
  });
});

describe('minSamplesFor', () => {
  it('is 6, 29, 59 and 299 for p50, p90, p95 and p99 at 95 %', () => {
    // Smallest n with 1 - (1 - q)^n - q^n >= 0.95: e.g. 0.99^298 = 0.05003, 0.99^299 = 0.04953.
    expect([0.5, 0.9, 0.95, 0.99].map((q) => minSamplesFor(q))).toEqual([6, 29, 59, 299]);
  });

  it('is exactly where quantileInterval becomes bounded on both sides', () => {
    for (const level of [0.9, 0.95, 0.99]) {
      for (const q of [0.1, 0.5, 0.75, 0.9, 0.95, 0.99]) {
        const n = minSamplesFor(q, level);
        const at = quantileInterval(ranks(n), q, level);
        const before = quantileInterval(ranks(n - 1), q, level);
        expect(at.lo !== null && at.hi !== null, `q=${q} level=${level} n=${n}`).toBe(true);
        expect(before.lo === null || before.hi === null, `q=${q} level=${level} n=${n - 1}`).toBe(true);
      }
    }
  });

  it('is infinite for the minimum and the maximum, which no sample can bound on both sides', () => {
    expect(minSamplesFor(0)).toBe(Number.POSITIVE_INFINITY);
    expect(minSamplesFor(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
