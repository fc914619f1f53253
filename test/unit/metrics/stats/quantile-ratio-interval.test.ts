import { describe, expect, it } from 'vitest';
import { quantile, quantileRatioInterval, ratioInterval } from '../../../../collector/metrics/stats/index.ts';
import { gammaDraw, uniformOrderStatistics } from '../../../../collector/metrics/stats/uniform-order-statistic.ts';
import { createRng, gaussian } from '../../../../collector/sim/model/rng.ts';

function sortedLognormal(n: number, scale: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => scale * Math.exp(gaussian(rng))).sort();
}

describe('uniformOrderStatistics', () => {
  it('draws the k-th of n uniforms with mean k / (n + 1), and the next one above it', () => {
    const rng = createRng(11);
    const draws = 20_000;
    let sum = 0;
    let gapSum = 0;
    let outOfOrder = 0;
    for (let i = 0; i < draws; i += 1) {
      const [kth, next] = uniformOrderStatistics(3, 9, rng);
      if (!(kth >= 0 && next >= kth && next <= 1)) outOfOrder += 1;
      sum += kth;
      gapSum += next - kth;
    }
    expect(outOfOrder).toBe(0);
    // E U(3) of 9 = 3/10; the expected gap between neighbours is 1/10. Standard error about 0.001.
    expect(sum / draws).toBeCloseTo(0.3, 2);
    expect(gapSum / draws).toBeCloseTo(0.1, 2);
    expect(uniformOrderStatistics(4, 4, rng)[1]).toBe(1);
  });

  it('draws gammas with mean and variance equal to the shape', () => {
    const rng = createRng(12);
    const values = Array.from({ length: 20_000 }, () => gammaDraw(4, rng));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(4, 1);
    expect(variance / 4).toBeCloseTo(1, 1);
    expect(() => gammaDraw(0.5, rng)).toThrow(RangeError);
  });
});

describe('quantileRatioInterval', () => {
  it('has the point Δ of the R-7 quantiles and an interval close to the generic bootstrap', () => {
    for (const [n, q] of [[50, 0.5], [300, 0.9], [600, 0.99]] as const) {
      const base = sortedLognormal(n, 100, n);
      const head = sortedLognormal(n, 110, n + 1);
      const fast = quantileRatioInterval(base, head, q, { resamples: 3_000 });
      const generic = ratioInterval(base, head, (s) => quantile(s.sort(), q)!, { resamples: 3_000 });
      expect(fast.delta).toBe(generic.delta);
      // Two Monte Carlo estimates of the same interval: ends within a tenth of its width.
      const width = generic.ci.hi! - generic.ci.lo!;
      expect(Math.abs(fast.ci.lo! - generic.ci.lo!), `n ${n} q ${q}`).toBeLessThan(0.1 * width);
      expect(Math.abs(fast.ci.hi! - generic.ci.hi!), `n ${n} q ${q}`).toBeLessThan(0.1 * width);
    }
  });

  it('is the same for the same seed and stays inside the range the data allow', () => {
    const base = sortedLognormal(200, 100, 1);
    const head = sortedLognormal(200, 100, 2);
    const a = quantileRatioInterval(base, head, 0.9, { seed: 5 });
    expect(quantileRatioInterval(base, head, 0.9, { seed: 5 })).toEqual(a);
    expect(a.ci.lo!).toBeGreaterThanOrEqual(head[0]! / base[199]! - 1);
    expect(a.ci.hi!).toBeLessThanOrEqual(head[199]! / base[0]! - 1);
  });

  it('gives no Δ from an empty side or a zero base, and refuses a quantile outside [0, 1]', () => {
    expect(quantileRatioInterval([], [1], 0.5)).toEqual({ delta: null, ci: { lo: null, hi: null } });
    expect(quantileRatioInterval([0, 0], [1, 2], 0.5)).toEqual({ delta: null, ci: { lo: null, hi: null } });
    expect(() => quantileRatioInterval([1], [1], 1.5)).toThrow(RangeError);
  });
});
