// Reference p-values come from two independent routes: brute-force enumeration of every way to
// split the pooled values between the samples (here, in the test), and SciPy 1.17.1's
// scipy.stats.mannwhitneyu (method 'exact', or 'asymptotic' with use_continuity=True and its tie
// correction), run once by hand and pasted in with the call that produced each value.
import { errorFunction } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { mannWhitney } from '../../../../collector/metrics/stats/index.ts';
import { createRng } from '../../../../collector/sim/model/rng.ts';

/** Every k-element subset of indexes 0 … n − 1. */
function* subsets(n: number, k: number, from = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = from; i <= n - (k - chosen.length); i += 1) yield* subsets(n, k, i + 1, [...chosen, i]);
}

/** U of a by its definition: pairs won, plus half the pairs tied. */
function uByPairs(a: number[], b: number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/** U of every equally likely split of the pooled values into a group of a's size and the rest. */
function permutationUs(a: number[], b: number[]): number[] {
  const pooled = [...a, ...b];
  return [...subsets(pooled.length, a.length)].map((chosen) => {
    const inA = new Set(chosen);
    return uByPairs(chosen.map((i) => pooled[i]!), pooled.filter((_, i) => !inA.has(i)));
  });
}

describe('mannWhitney', () => {
  it('counts U as pairs won plus half the ties', () => {
    expect(mannWhitney([1, 2, 3], [4, 5]).u).toBe(0);
    expect(mannWhitney([4, 5], [1, 2, 3]).u).toBe(6);
    // 3 beats 1 and 2, ties 3: 2.5; 1 beats nothing, ties 1: 0.5.
    expect(mannWhitney([3, 1], [1, 2, 3]).u).toBe(3);
  });

  it('gives exact p-values for small samples without ties that match SciPy', () => {
    // Only 1 of the C(10, 5) = 252 splits puts all of a below b; two-sided doubles it: 2 / 252.
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({ u: 0, p: 2 / 252, method: 'exact' });
    // mannwhitneyu([1,3,5,7], [2,4,6,8,9], method='exact') -> U 6, p 0.4126984126984127
    const interleaved = mannWhitney([1, 3, 5, 7], [2, 4, 6, 8, 9]);
    expect(interleaved.method).toBe('exact');
    expect(interleaved.p).toBeCloseTo(0.4126984126984127, 12);
    // mannwhitneyu([1.5,…,11.3], [0.2,…,1.2], method='exact') -> U 42, p 0.0011655011655011655 = 2 / C(13, 6)
    const apart = mannWhitney([1.5, 2.5, 3.1, 4.2, 8.8, 9.0, 11.3], [0.2, 0.4, 0.6, 0.7, 1.1, 1.2]);
    expect(apart.u).toBe(42);
    expect(apart.p).toBeCloseTo(2 / 1716, 12);
  });

  it('matches the exact p from enumerating every split, for random samples without ties', () => {
    const rng = createRng(42);
    for (let trial = 0; trial < 30; trial += 1) {
      const n = 1 + (trial % 6);
      const m = 1 + ((trial * 5) % 7);
      // Distinct values: a random order of 0 … n + m − 1, so no ties.
      const values = Array.from({ length: n + m }, (_, i) => ({ i, key: rng.next() })).sort((x, y) => x.key - y.key).map(({ i }) => i);
      const a = values.slice(0, n);
      const b = values.slice(n);
      const result = mannWhitney(a, b);
      const us = permutationUs(a, b);
      const below = us.filter((u) => u <= result.u).length / us.length;
      const above = us.filter((u) => u >= result.u).length / us.length;
      expect(result.method).toBe('exact');
      expect(result.u).toBe(uByPairs(a, b));
      expect(result.p, `${a} vs ${b}`).toBeCloseTo(Math.min(1, 2 * Math.min(below, above)), 10);
    }
  });

  it('uses the tie-corrected normal approximation with ties, matching SciPy', () => {
    // mannwhitneyu([1,2,2,3,4,5,5,6], [3,4,5,5,6,7,8,8,9], method='asymptotic') -> U 12.5, p 0.025496068631499585
    const tied = mannWhitney([1, 2, 2, 3, 4, 5, 5, 6], [3, 4, 5, 5, 6, 7, 8, 8, 9]);
    expect(tied).toMatchObject({ u: 12.5, method: 'normal' });
    // simple-statistics' erf is good to about 1e-7 relative, SciPy's to machine precision.
    expect(tied.p! / 0.025496068631499585).toBeCloseTo(1, 6);
    // Latencies rounded to whole milliseconds, so ties across and within the samples:
    // mannwhitneyu(a, b, method='asymptotic') -> U 51, p 0.14774371974738415
    const ms = mannWhitney([12, 15, 15, 17, 18, 18, 18, 20, 21, 25, 30, 31], [14, 16, 18, 18, 19, 22, 22, 24, 26, 27, 33, 35, 40]);
    expect(ms).toMatchObject({ u: 51, method: 'normal' });
    expect(ms.p! / 0.14774371974738415).toBeCloseTo(1, 6);
  });

  it('has the variance of U over every split of tied values, as the tie correction says', () => {
    // The enumerated permutation variance of U is the quantity the tie-corrected formula stands
    // for; a p computed from it (with the same continuity correction) must equal the function's.
    const a = [1, 2, 2, 3, 3, 3, 7];
    const b = [2, 3, 4, 4, 7, 7, 8, 9];
    const us = permutationUs(a, b);
    const mean = us.reduce((s, u) => s + u, 0) / us.length;
    const variance = us.reduce((s, u) => s + (u - mean) ** 2, 0) / us.length;
    expect(mean).toBeCloseTo((a.length * b.length) / 2, 10);
    const result = mannWhitney(a, b);
    const z = (Math.abs(result.u - mean) - 0.5) / Math.sqrt(variance);
    expect(result.method).toBe('normal');
    expect(result.p).toBeCloseTo(1 - errorFunction(z / Math.SQRT2), 10);
    // Without the correction the variance would be n·m·(N + 1) / 12, larger than the enumerated one.
    expect(variance).toBeLessThan((a.length * b.length * (a.length + b.length + 1)) / 12);
  });

  it('stays exact up to 49 per side, matching SciPy there, and is approximate from 50', () => {
    const a = Array.from({ length: 49 }, (_, i) => i * 1.1);
    const b = Array.from({ length: 49 }, (_, i) => i * 1.3 + 2.05);
    // mannwhitneyu(a, b, method='exact') -> U 944, p 0.06878765448128493
    const exact = mannWhitney(a, b);
    expect(exact).toMatchObject({ u: 944, method: 'exact' });
    expect(exact.p).toBeCloseTo(0.06878765448128493, 10);
    expect(mannWhitney([...a, 60.01], b).method).toBe('normal');
  });

  it('finds nothing when every value is equal, and no p without data', () => {
    expect(mannWhitney([5, 5, 5], [5, 5, 5, 5])).toEqual({ u: 6, p: 1, method: 'normal' });
    expect(mannWhitney([], [1, 2]).p).toBeNull();
  });

  it('refuses NaN', () => {
    expect(() => mannWhitney([1, Number.NaN], [2])).toThrow(RangeError);
  });
});
