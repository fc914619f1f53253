import { describe, expect, it } from 'vitest';
import { proportionInterval } from '../../../../collector/metrics/stats/index.ts';
import { normalQuantile } from '../../../../collector/metrics/stats/normal-quantile.ts';

describe('proportionInterval', () => {
  it('keeps up to 27.8 % plausible after 0 of 10', () => {
    // Wilson at 0/n: upper = (z²/n) / (1 + z²/n) with z = 1.95996, z² = 3.84146.
    const { lo, hi } = proportionInterval(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.38415 / 1.38415, 4);
  });

  it('mirrors 0 of 10 at 10 of 10', () => {
    const { lo, hi } = proportionInterval(10, 10);
    expect(hi).toBe(1);
    expect(lo).toBeCloseTo(1 - 0.38415 / 1.38415, 4);
  });

  it('gives 0.2366 to 0.7634 for 5 of 10', () => {
    const { lo, hi } = proportionInterval(5, 10);
    expect(lo).toBeCloseTo(0.2366, 4);
    expect(hi).toBeCloseTo(0.7634, 4);
  });

  it('narrows around the share as n grows', () => {
    const small = proportionInterval(10, 100);
    const large = proportionInterval(100, 1000);
    expect(large.hi! - large.lo!).toBeLessThan(small.hi! - small.lo!);
    expect(large.lo!).toBeLessThan(0.1);
    expect(large.hi!).toBeGreaterThan(0.1);
  });

  it('bounds nothing from no trials', () => {
    expect(proportionInterval(0, 0)).toEqual({ lo: null, hi: null });
  });

  it('rejects more successes than trials', () => {
    expect(() => proportionInterval(11, 10)).toThrow(RangeError);
    expect(() => proportionInterval(0.5, 10)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches the normal table to nine digits', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
