// The relative change of a statistic between two runs, Δ = statistic(head) / statistic(base) − 1,
// with a seeded two-sample percentile bootstrap: each resample draws base and head independently,
// as the two runs were measured independently. With several runs per side (replicates) each side is
// resampled in two stages, runs first and then the requests within each drawn run, so the spread
// between runs widens the interval; pooling all requests as one sample would hide it.
import { createRng } from '../../sim/model/rng.ts';
import type { Rng } from '../../sim/types.ts';
import type { Bound } from './bound.ts';
import { bootstrapSettings, percentileBounds, type BootstrapOptions } from './bootstrap.ts';

export interface RatioInterval {
  /** statistic(head) / statistic(base) − 1 on all values; null when undefined (an empty side, a zero base). */
  delta: number | null;
  /** Bootstrap interval of Δ; null sides when no resample gave a finite Δ. */
  ci: Bound;
}

/** Δ of one run against another with its two-sample bootstrap interval. */
export function ratioInterval(
  base: ArrayLike<number>,
  head: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): RatioInterval {
  return replicateRatioInterval([base], [head], statistic, options);
}

/**
 * Δ between two sets of replicate runs: the point estimate on each side's values concatenated,
 * the interval from resampling runs, then requests within them. With one run per side this is
 * ratioInterval. Few runs (two or three) cannot show the spread between runs well, so the
 * interval is still on the narrow side then; more replicates make it honest.
 */
export function replicateRatioInterval(
  baseRuns: readonly ArrayLike<number>[],
  headRuns: readonly ArrayLike<number>[],
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): RatioInterval {
  const { seed, resamples, level } = bootstrapSettings(options);
  const base = baseRuns.filter((run) => run.length > 0);
  const head = headRuns.filter((run) => run.length > 0);
  if (base.length === 0 || head.length === 0) return { delta: null, ci: { lo: null, hi: null } };
  const delta = finiteOrNull(statistic(concatenated(head)) / statistic(concatenated(base)) - 1);
  const rng = createRng(seed);
  const ci = percentileBounds(resamples, level, () => {
    // Independent draws for the two sides, from one stream: base's draws, then head's.
    const baseValue = statistic(resampled(base, rng));
    const headValue = statistic(resampled(head, rng));
    // A resample whose base statistic is zero gives no finite Δ and is left out.
    return headValue / baseValue - 1;
  });
  return { delta, ci };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function concatenated(runs: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(runs.reduce((total, run) => total + run.length, 0));
  let offset = 0;
  for (const run of runs) {
    out.set(run, offset);
    offset += run.length;
  }
  return out;
}

/** Runs drawn with replacement, then each drawn run's values with replacement, concatenated. */
function resampled(runs: readonly ArrayLike<number>[], rng: Rng): Float64Array {
  const k = runs.length;
  // With one run the first stage has no choice to make; skip it so the draws match a plain bootstrap.
  const drawn = k === 1 ? runs : Array.from({ length: k }, () => runs[Math.floor(rng.next() * k)]!);
  const out = new Float64Array(drawn.reduce((total, run) => total + run.length, 0));
  let offset = 0;
  for (const run of drawn) {
    const n = run.length;
    for (let i = 0; i < n; i += 1) out[offset + i] = run[Math.floor(rng.next() * n)]!;
    offset += n;
  }
  return out;
}
