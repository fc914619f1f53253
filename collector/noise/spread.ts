// How far repeated runs of one scenario (A/A) disagree: each run's statistic per engine × phase ×
// metric (the statistics a diff compares), then its spread across the runs. Pure: the runs' samples
// in, plain rows out; docs/statistics.md ("How noisy is a setup") says what the numbers mean.
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { PhaseSamples, RunSamples } from '../compare/phase-samples.ts';
import { minSamplesFor, quantile } from '../metrics/stats/index.ts';
import { DEFAULT_MIN_SAMPLES } from '../metrics/stats/diff-verdict.ts';

/** The metrics a noise study measures: the diff's, less goodput and the error rate (shares, held in points). */
export type NoiseMetric = 'ttft' | 'itl' | 'tpot' | 'e2e' | 'output_tokens_per_s';
export type NoiseStat = 'p50' | 'p90' | 'p99' | 'mean';

/** Each metric with the statistics of it that `servebench diff` judges, in the order outputs list them. */
export const NOISE_METRICS: ReadonlyArray<{ metric: NoiseMetric; label: string; stats: ReadonlyArray<{ stat: NoiseStat; q: number | null }> }> = [
  { metric: 'ttft', label: 'TTFT', stats: percentiles() },
  { metric: 'itl', label: 'ITL', stats: percentiles() },
  { metric: 'tpot', label: 'TPOT', stats: percentiles() },
  { metric: 'e2e', label: 'E2E', stats: percentiles() },
  { metric: 'output_tokens_per_s', label: 'output tok/s per request', stats: [{ stat: 'mean', q: null }] },
];

function percentiles(): Array<{ stat: NoiseStat; q: number }> {
  return [
    { stat: 'p50', q: 0.5 },
    { stat: 'p90', q: 0.9 },
    { stat: 'p99', q: 0.99 },
  ];
}

/** The spread of one statistic across runs; relative numbers, so 0.03 is 3 %. */
export interface Spread {
  /** Runs that had a value. */
  runs: number;
  median: number;
  min: number;
  max: number;
  /** max over runs of |run / median − 1|. */
  maxDeviation: number;
  /** Sample standard deviation / mean of the per-run values (coefficient of variation). */
  cv: number;
}

export interface SpreadRow {
  engine: string;
  phase: string;
  metric: NoiseMetric;
  stat: NoiseStat;
  /** The statistic in each run, in run order; null where the run had no value. */
  values: Array<number | null>;
  /** Values behind the statistic in each run (requests, or ITL gaps). */
  samples: number[];
  /** Fewest values per run for the diff to judge this statistic at all (p99: 299). */
  minSamples: number;
  /** Every run had at least minSamples values: only then does the row count toward τ. */
  enoughSamples: boolean;
  /** null: fewer than two runs with a value, or a median that is not positive. */
  spread: Spread | null;
}

/**
 * The spread of per-run values: the median by the statistics module's quantile, the largest
 * relative distance of a run from it, and the coefficient of variation. null below two values
 * or when the median is not positive (a relative spread means nothing then).
 */
export function spreadOf(values: ReadonlyArray<number | null>): Spread | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return null;
  const sorted = Float64Array.from(present).sort();
  const median = quantile(sorted, 0.5)!;
  if (!(median > 0)) return null;
  const maxDeviation = Math.max(...present.map((v) => Math.abs(v / median - 1)));
  const average = mean(present);
  return {
    runs: present.length,
    median,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    maxDeviation,
    cv: average > 0 ? sampleStandardDeviation(present) / average : Number.NaN,
  };
}

/**
 * One row per engine × phase × metric × statistic over the runs, engines and phases in the order
 * they first appear. A run missing an engine or phase has null there.
 */
export function spreadRows(runs: readonly RunSamples[]): SpreadRow[] {
  const rows: SpreadRow[] = [];
  for (const [engine, phase] of enginePhases(runs)) {
    const perRun = runs.map((run) => run.get(engine)?.get(phase) ?? null);
    for (const { metric, stats } of NOISE_METRICS) {
      for (const { stat, q } of stats) {
        const values = perRun.map((s) => (s === null ? null : statisticOf(valuesOf(s, metric), q)));
        const samples = perRun.map((s) => (s === null ? 0 : valuesOf(s, metric).length));
        const minSamples = q === null ? DEFAULT_MIN_SAMPLES : minSamplesFor(q);
        rows.push({ engine, phase, metric, stat, values, samples, minSamples, enoughSamples: samples.every((n) => n >= minSamples), spread: spreadOf(values) });
      }
    }
  }
  return rows;
}

function enginePhases(runs: readonly RunSamples[]): Array<[string, string]> {
  const seen = new Map<string, [string, string]>();
  for (const run of runs) {
    for (const [engine, phases] of run) {
      for (const phase of phases.keys()) {
        const key = JSON.stringify([engine, phase]);
        if (!seen.has(key)) seen.set(key, [engine, phase]);
      }
    }
  }
  return [...seen.values()];
}

function valuesOf(samples: PhaseSamples, metric: NoiseMetric): Float64Array {
  switch (metric) {
    case 'ttft':
      return samples.ttftMs;
    case 'itl':
      return samples.itlMs;
    case 'tpot':
      return samples.tpotMs;
    case 'e2e':
      return samples.e2eMs;
    case 'output_tokens_per_s':
      return samples.outputTokensPerS;
  }
}

/** A percentile of the sorted values (q), or their mean (q null); null when there are none. */
function statisticOf(sorted: Float64Array, q: number | null): number | null {
  if (sorted.length === 0) return null;
  return q === null ? mean(Array.from(sorted)) : quantile(sorted, q);
}
