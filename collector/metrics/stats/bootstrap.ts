// The percentile bootstrap: resample the values with replacement, compute the statistic on each
// resample, and take the middle `level` of those results. For statistics with no exact interval
// (a mean, a ratio, a difference of two runs). Seeded, so the same run always shows the same
// interval; the generator is the simulator's, which is small, seedable and already tested.
import { createRng } from '../../sim/model/rng.ts';
import { type Bound, CONFIDENCE, checkLevel } from './bound.ts';
import { quantile } from './quantile.ts';

/** 2,000 resamples put the 2.5th and 97.5th percentiles 50 results from the ends. */
export const DEFAULT_RESAMPLES = 2_000;
const DEFAULT_SEED = 1;

export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
  level?: number;
}

/** The options with their defaults, checked: every bootstrap here (one sample, two, a quantile's) reads them so. */
export function bootstrapSettings(options: BootstrapOptions): Required<BootstrapOptions> {
  const { seed = DEFAULT_SEED, resamples = DEFAULT_RESAMPLES, level = CONFIDENCE } = options;
  checkLevel(level);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a whole number >= 1, got ${resamples}`);
  return { seed, resamples, level };
}

/**
 * The middle `level` of `resamples` results of `draw`, one call a resample in order (so a seeded
 * generator behind it gives the same interval every time); unbounded when no result was finite.
 */
export function percentileBounds(resamples: number, level: number, draw: () => number): Bound {
  const results = new Float64Array(resamples);
  let kept = 0;
  for (let r = 0; r < resamples; r += 1) {
    const result = draw();
    // A statistic undefined on some resample (a ratio over zero) says nothing about the interval.
    if (Number.isFinite(result)) results[kept++] = result;
  }
  if (kept === 0) return { lo: null, hi: null };
  const sorted = results.subarray(0, kept).sort();
  const tail = (1 - level) / 2;
  return { lo: quantile(sorted, tail), hi: quantile(sorted, 1 - tail) };
}

/** Seeded percentile bootstrap of any statistic (deterministic for a seed). */
export function bootstrapInterval(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): Bound {
  const { seed, resamples, level } = bootstrapSettings(options);
  const n = values.length;
  if (n === 0) return { lo: null, hi: null };
  const rng = createRng(seed);
  const sample = new Float64Array(n);
  return percentileBounds(resamples, level, () => {
    for (let i = 0; i < n; i += 1) sample[i] = values[Math.floor(rng.next() * n)]!;
    return statistic(sample);
  });
}
