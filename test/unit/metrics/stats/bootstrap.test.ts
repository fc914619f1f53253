import { mean } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../../../collector/metrics/stats/index.ts';

const meanOf = (sample: Float64Array): number => mean(sample as unknown as number[]);
const values = Float64Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23));

describe('bootstrapInterval', () => {
  it('gives the same interval for the same seed and another for another seed', () => {
    const a = bootstrapInterval(values, meanOf, { seed: 7 });
    expect(bootstrapInterval(values, meanOf, { seed: 7 })).toEqual(a);
    expect(bootstrapInterval(values, meanOf, { seed: 8 })).not.toEqual(a);
  });

  it('brackets the sample mean, inside the range of the values', () => {
    const { lo, hi } = bootstrapInterval(values, meanOf);
    const m = meanOf(values);
    expect(lo!).toBeLessThan(m);
    expect(hi!).toBeGreaterThan(m);
    expect(lo!).toBeGreaterThanOrEqual(Math.min(...values));
    expect(hi!).toBeLessThanOrEqual(Math.max(...values));
  });

  it('is about ±1.96 standard errors wide for a mean', () => {
    const { lo, hi } = bootstrapInterval(values, meanOf, { resamples: 4000 });
    const m = meanOf(values);
    const sd = Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / values.length);
    const expected = 2 * 1.96 * (sd / Math.sqrt(values.length));
    expect((hi! - lo!) / expected).toBeGreaterThan(0.85);
    expect((hi! - lo!) / expected).toBeLessThan(1.15);
  });

  it('collapses to the value when every value is the same', () => {
    expect(bootstrapInterval([5, 5, 5], meanOf)).toEqual({ lo: 5, hi: 5 });
  });

  it('leaves out resamples where the statistic is undefined', () => {
    // Only resamples holding at least one 1 give a finite 1/max; the interval is made of those.
    const { lo, hi } = bootstrapInterval([0, 0, 1], (s) => 1 / Math.max(...s));
    expect(lo).toBe(1);
    expect(hi).toBe(1);
    expect(bootstrapInterval([0, 0], (s) => 1 / Math.max(...s))).toEqual({ lo: null, hi: null });
  });

  it('bounds nothing from no values', () => {
    expect(bootstrapInterval([], meanOf)).toEqual({ lo: null, hi: null });
  });
});
