import { describe, expect, it } from 'vitest';
import { hodgesLehmann, quantile } from '../../../../collector/metrics/stats/index.ts';
import { createRng, gaussian } from '../../../../collector/sim/model/rng.ts';

/** The definition: list all n·m differences and take their median. */
function medianOfAllDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const differences = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < b.length; j += 1) differences[i * b.length + j] = a[i]! - b[j]!;
  }
  return quantile(differences.sort(), 0.5);
}

describe('hodgesLehmann', () => {
  it('is the median of all pairwise differences', () => {
    // a − b over [10, 20] × [1, 2, 4]: 9, 8, 6, 19, 18, 16; median of six = (9 + 16) / 2.
    expect(hodgesLehmann([10, 20], [1, 2, 4])).toBe(12.5);
    expect(hodgesLehmann([5], [2])).toBe(3);
  });

  it('barely moves for one wild outlier, unlike a difference of means', () => {
    expect(hodgesLehmann([110, 111, 112, 113, 10_000], [100, 101, 102, 103, 104])).toBe(10);
  });

  it('equals the listed median to the bit on a million pairs of skewed, unsorted data', () => {
    const rng = createRng(8);
    const a = Float64Array.from({ length: 1_100 }, () => 100 * Math.exp(0.6 * gaussian(rng)));
    const b = Float64Array.from({ length: 1_000 }, () => 90 * Math.exp(0.6 * gaussian(rng)));
    expect(hodgesLehmann(a, b)).toBe(medianOfAllDifferences(a, b));
  });

  it('finds the middle of long runs of tied differences', () => {
    // Whole milliseconds from a narrow range: most of the 400 × 300 differences repeat.
    const rng = createRng(9);
    const a = Array.from({ length: 400 }, () => Math.floor(rng.next() * 5));
    const b = Array.from({ length: 300 }, () => Math.floor(rng.next() * 4));
    expect(hodgesLehmann(a, b)).toBe(medianOfAllDifferences(a, b));
  });

  it('is undefined for an empty sample and refuses NaN', () => {
    expect(hodgesLehmann([], [1])).toBeNull();
    expect(() => hodgesLehmann([1, Number.NaN], [1])).toThrow(RangeError);
  });
});
