import { describe, expect, it } from 'vitest';
import { quantile, ratioInterval, replicateRatioInterval } from '../../../../collector/metrics/stats/index.ts';
import { createRng, gaussian } from '../../../../collector/sim/model/rng.ts';

const median = (sample: Float64Array): number => quantile(sample.sort(), 0.5)!;
const base = Float64Array.from({ length: 60 }, (_, i) => 100 + ((i * 37) % 23));

describe('ratioInterval', () => {
  it('gives Δ = head / base − 1 of the statistic on all values', () => {
    // Medians 2 and 3: Δ = 0.5.
    expect(ratioInterval([1, 2, 3], [2, 3, 4], median).delta).toBe(0.5);
  });

  it('brackets Δ and is the same for the same seed', () => {
    const head = base.map((v) => v * 1.2);
    const result = ratioInterval(base, head, median, { seed: 3 });
    expect(result.delta).toBeCloseTo(0.2, 12);
    expect(result.ci.lo!).toBeLessThan(0.2);
    expect(result.ci.hi!).toBeGreaterThan(0.2);
    expect(ratioInterval(base, head, median, { seed: 3 })).toEqual(result);
    expect(ratioInterval(base, head, median, { seed: 4 }).ci).not.toEqual(result.ci);
  });

  it('is a point when neither side varies', () => {
    expect(ratioInterval([4, 4, 4], [5, 5], median)).toEqual({ delta: 0.25, ci: { lo: 0.25, hi: 0.25 } });
  });

  it('gives no Δ from an empty side or a zero base, and leaves out resamples with a zero base', () => {
    expect(ratioInterval([], [1], median)).toEqual({ delta: null, ci: { lo: null, hi: null } });
    expect(ratioInterval([0, 0, 0], [1], median)).toEqual({ delta: null, ci: { lo: null, hi: null } });
    // A resample of the base drawing two or three zeros has median 0; the rest have median 1,
    // so every Δ kept is 2 / 1 − 1 = 1.
    const { ci } = ratioInterval([0, 1, 1], [2], median);
    expect(ci).toEqual({ lo: 1, hi: 1 });
  });

  it('is narrower with more values', () => {
    const draw = (n: number, seed: number): Float64Array => {
      const rng = createRng(seed);
      return Float64Array.from({ length: n }, () => Math.exp(gaussian(rng)));
    };
    const width = (n: number): number => {
      const { ci } = ratioInterval(draw(n, 1), draw(n, 2), median);
      return ci.hi! - ci.lo!;
    };
    expect(width(400)).toBeLessThan(width(50));
  });
});

describe('replicateRatioInterval', () => {
  it('equals ratioInterval with one run per side', () => {
    const head = base.map((v) => v + 3);
    expect(replicateRatioInterval([base], [head], median, { seed: 9 })).toEqual(ratioInterval(base, head, median, { seed: 9 }));
  });

  it('takes Δ on the concatenated runs and widens the interval when runs disagree', () => {
    // Three runs per side with the same requests, but in the disagreeing case each run's level
    // is shifted by ±8 %: a between-run spread that pooling the requests alone would not show.
    const levels = [0.92, 1, 1.08];
    const agreeing = levels.map(() => base);
    const disagreeing = levels.map((level) => base.map((v) => v * level));
    const pooled = ratioInterval(disagreeing.flatMap((run) => [...run]), disagreeing.flatMap((run) => [...run]), median);
    const calm = replicateRatioInterval(agreeing, agreeing, median);
    const spread = replicateRatioInterval(disagreeing, disagreeing, median);
    expect(spread.delta).toBe(0);
    expect(calm.delta).toBe(0);
    expect(spread.ci.hi! - spread.ci.lo!).toBeGreaterThan(2 * (calm.ci.hi! - calm.ci.lo!));
    expect(spread.ci.hi! - spread.ci.lo!).toBeGreaterThan(pooled.ci.hi! - pooled.ci.lo!);
  });

  it('ignores empty runs', () => {
    const head = base.map((v) => v * 2);
    expect(replicateRatioInterval([base, []], [[], head], median)).toEqual(ratioInterval(base, head, median));
  });

  it('refuses a bad resample count or level', () => {
    expect(() => ratioInterval(base, base, median, { resamples: 0 })).toThrow(RangeError);
    expect(() => ratioInterval(base, base, median, { level: 1 })).toThrow(RangeError);
  });
});
