// The run-over-run diff statistics against data with a known answer. Coverage is counted over 200
// seeded trials, so the rate is a fixed number, not a flaky one: an interval too narrow or off
// centre shows as coverage below 90 %. The rest are properties any input must keep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, cliffsDelta, type DiffVerdict, diffVerdict, hodgesLehmann, mannWhitney, quantile, quantileRatioInterval, ratioInterval } from '../../collector/metrics/stats/index.ts';
import { createRng, gaussian } from '../../collector/sim/model/rng.ts';
import type { Rng } from '../../collector/sim/types.ts';

const median = (sample: Float64Array): number => quantile(sample.sort(), 0.5)!;

/** n draws of a lognormal whose median is `scale` (log-scale spread 0.5, a latency-like skew). */
function lognormal(n: number, scale: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => scale * Math.exp(0.5 * gaussian(rng)));
}

describe('ratioInterval on lognormal data with a known ratio', () => {
  it('covers the true ratio of medians at close to 95 %', () => {
    const trials = 200;
    const trueRatio = 1.15;
    let covered = 0;
    for (let trial = 1; trial <= trials; trial += 1) {
      const rng = createRng(trial * 7919);
      // Sizes from 40 to 160 per side, unequal; larger phases are covered by the shortcut below.
      const base = lognormal(40 + (trial % 9) * 15, 100, rng);
      const head = lognormal(40 + (trial % 7) * 18, 100 * trueRatio, rng);
      const { ci } = ratioInterval(base, head, median, { seed: trial, resamples: 1_000 });
      if (ci.lo! <= trueRatio - 1 && trueRatio - 1 <= ci.hi!) covered += 1;
    }
    const rate = covered / trials;
    expect(rate).toBeGreaterThanOrEqual(0.9);
    expect(rate).toBeLessThanOrEqual(0.99);
  });

  for (const q of [0.5, 0.9]) {
    it(`covers it at close to 95 % for the p${q * 100} by the quantile shortcut too`, () => {
      const trials = 200;
      const trueRatio = 0.9;
      let covered = 0;
      for (let trial = 1; trial <= trials; trial += 1) {
        const rng = createRng(trial * 104_729 + q * 1000);
        // The ratio of any quantile of two lognormals with the same spread is the ratio of scales.
        const base = lognormal(100 + (trial % 9) * 50, 100, rng).sort();
        const head = lognormal(100 + (trial % 7) * 60, 100 * trueRatio, rng).sort();
        const { ci } = quantileRatioInterval(base, head, q, { seed: trial });
        if (ci.lo! <= trueRatio - 1 && trueRatio - 1 <= ci.hi!) covered += 1;
      }
      const rate = covered / trials;
      expect(rate).toBeGreaterThanOrEqual(0.9);
      expect(rate).toBeLessThanOrEqual(0.99);
    });
  }
});

describe('diff verdicts on lognormal data with a known shift (τ = 5 %)', () => {
  /** Verdicts of the p50, p90 and p99 over 50 seeded pairs of n requests, head slower by `ratio`. */
  function verdicts(ratio: number, n: number): { counts: Map<string, number>; medianExcludesZero: number } {
    const counts = new Map<string, number>();
    let medianExcludesZero = 0;
    for (let trial = 1; trial <= 50; trial += 1) {
      const rng = createRng(trial * 31 + ratio * 1000 + n);
      const base = lognormal(n, 100, rng).sort();
      const head = lognormal(n, 100 * ratio, rng).sort();
      const quantiles = [0.5, 0.9, 0.99];
      const { p } = mannWhitney(head, base);
      const { adjusted } = benjaminiHochberg(quantiles.map(() => p!));
      quantiles.forEach((q, i) => {
        const { delta, ci } = quantileRatioInterval(base, head, q, { seed: trial });
        if (q === 0.5 && ci.lo! > 0) medianExcludesZero += 1;
        const verdict: DiffVerdict = diffVerdict({ delta, ci, p: adjusted[i]!, direction: 'lower-is-better', samples: { base: n, head: n } });
        counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      });
    }
    return { counts, medianExcludesZero };
  }

  it('rarely call a regression between samples of the same distribution', () => {
    // A false regression needs the whole interval past +5 % and a significant test by chance.
    const { counts } = verdicts(1, 500);
    expect(counts.get('regression') ?? 0).toBeLessThanOrEqual(2);
    expect(counts.get('improvement') ?? 0).toBeLessThanOrEqual(2);
  });

  it('flag a 15 % slowdown with the median interval clear of 0 every time', () => {
    const { counts, medianExcludesZero } = verdicts(1.15, 1_000);
    expect(medianExcludesZero).toBe(50);
    expect(counts.get('regression')!).toBeGreaterThanOrEqual(50);
    expect(counts.get('equivalent') ?? 0).toBe(0);
    expect(counts.get('improvement') ?? 0).toBe(0);
  });

  it('call a 3 % slowdown a regression only by rare chance', () => {
    // Only when the interval misses the true +3 % on the low side, which a 95 % interval does
    // about 2.5 % of the time, and the test agrees: at most 2 of the 150 verdicts here.
    const { counts } = verdicts(1.03, 500);
    expect(counts.get('regression') ?? 0).toBeLessThanOrEqual(2);
    expect(counts.get('improvement') ?? 0).toBe(0);
  });
});

describe('benjaminiHochberg on any p-values', () => {
  it('gives adjusted p-values at least the raw ones, at most 1, in the same order as the raw', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (pValues) => {
        const { adjusted, discoveries } = benjaminiHochberg(pValues);
        pValues.forEach((p, i) => {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]!).toBeLessThanOrEqual(1);
          expect(discoveries[i]).toBe(adjusted[i]! <= 0.05);
          pValues.forEach((other, j) => {
            if (p <= other) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!);
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});

const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 30 });

describe("Cliff's δ and Mann–Whitney U on any samples", () => {
  it('keep δ in [−1, 1], antisymmetric, equal to wins minus losses over pairs', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const delta = cliffsDelta(a, b)!;
        expect(delta).toBeGreaterThanOrEqual(-1);
        expect(delta).toBeLessThanOrEqual(1);
        expect(cliffsDelta(b, a)! + delta).toBeCloseTo(0, 12);
        let net = 0;
        for (const x of a) for (const y of b) net += Math.sign(x - y);
        expect(delta).toBeCloseTo(net / (a.length * b.length), 12);
      }),
      { numRuns: 300 },
    );
  });

  it('give the same p both ways round, with U and its mirror adding up to n·m', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = mannWhitney(a, b);
        const ba = mannWhitney(b, a);
        expect(ab.u + ba.u).toBe(a.length * b.length);
        expect(ab.p!).toBeGreaterThanOrEqual(0);
        expect(ab.p!).toBeLessThanOrEqual(1);
        expect(ab.p!).toBeCloseTo(ba.p!, 10);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Hodges–Lehmann shift on any sample', () => {
  it('is the median of every listed difference, to the bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const differences = Float64Array.from(a.flatMap((x) => b.map((y) => x - y))).sort();
          expect(hodgesLehmann(a, b)).toBe(quantile(differences, 0.5));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is exactly c between b + c and b', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: -1_000, max: 1_000 }), (b, c) => {
        // Whole numbers keep every difference exact, so the shift must be c to the last bit.
        expect(hodgesLehmann(b.map((v) => v + c), b)).toBe(c);
      }),
      { numRuns: 300 },
    );
  });

  it('is c up to rounding for fractional values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (b, c) => {
          expect(Math.abs(hodgesLehmann(b.map((v) => v + c), b)! - c)).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 300 },
    );
  });
});
