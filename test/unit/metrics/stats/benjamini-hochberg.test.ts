import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../../collector/metrics/stats/index.ts';

describe('benjaminiHochberg', () => {
  it('scales each p by m / rank and keeps the adjusted values monotone', () => {
    // Sorted 0.01, 0.02, 0.03, 0.5 of m = 4: 0.04, 0.04, 0.04, 0.5 (0.02 · 4/2 = 0.04, 0.03 · 4/3 = 0.04).
    const { adjusted, discoveries } = benjaminiHochberg([0.5, 0.03, 0.01, 0.02]);
    expect(adjusted[0]).toBeCloseTo(0.5, 12);
    expect(adjusted[1]).toBeCloseTo(0.04, 12);
    expect(adjusted[2]).toBeCloseTo(0.04, 12);
    expect(adjusted[3]).toBeCloseTo(0.04, 12);
    expect(discoveries).toEqual([false, true, true, true]);
  });

  it('takes the running minimum from above, so a larger p can pull a smaller one down', () => {
    // Raw 0.04 at rank 1 of 2 gives 0.08; 0.045 at rank 2 gives 0.045, which then caps rank 1.
    expect(benjaminiHochberg([0.04, 0.045]).adjusted).toEqual([0.045, 0.045]);
    expect(benjaminiHochberg([0.04, 0.045]).discoveries).toEqual([true, true]);
  });

  it('flags fewer at a stricter q and caps at 1', () => {
    expect(benjaminiHochberg([0.01, 0.02, 0.9], 0.01).discoveries).toEqual([false, false, false]);
    expect(benjaminiHochberg([0.9, 0.95]).adjusted).toEqual([0.95, 0.95]);
    expect(benjaminiHochberg([]).adjusted).toEqual([]);
  });

  it('refuses p-values outside [0, 1] and a q outside (0, 1)', () => {
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([0.1], 0)).toThrow(RangeError);
  });
});
