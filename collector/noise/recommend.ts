// τ from an A/A study: per metric, the smallest step of a fixed ladder at or above twice the largest
// spread observed, so two runs of an unchanged setup stay inside ±τ of each other. The rule and its
// limits are in docs/statistics.md ("How noisy is a setup").
import { NOISE_METRICS, type NoiseMetric, type NoiseStat, type SpreadRow } from './spread.ts';

/** The τ a recommendation picks from: round numbers a person can type and remember. */
export const TAU_LADDER = [0.01, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2] as const;

/**
 * τ must cover this many times the observed spread: a diff compares two runs, and one may sit at
 * +spread while the other sits at −spread from the median.
 */
export const SPREAD_FACTOR = 2;

/** Fewer runs than this give a weak recommendation: the largest of 3 or 4 values says little about the tail. */
export const STRONG_RUNS = 5;

/** The smallest ladder step at or above SPREAD_FACTOR × spread; null when even 20 % does not cover it. */
export function tauFor(spread: number): number | null {
  const needed = SPREAD_FACTOR * spread;
  // A hair of slack, so 2 × 2.5 % lands on 5 % despite binary fractions.
  return TAU_LADDER.find((step) => step >= needed - 1e-12) ?? null;
}

export interface MetricRecommendation {
  metric: NoiseMetric;
  label: string;
  /** null: no row counted (no data, or too few samples in every row), or no ladder step covers the spread. */
  tau: number | null;
  /** The largest max-deviation among the rows counted, and where it was; null: none counted. */
  worst: { spread: number; engine: string; phase: string; stat: NoiseStat } | null;
  /** Rows counted toward τ, and rows left out because a run had too few values for that statistic. */
  counted: number;
  tooFewSamples: number;
}

export interface Recommendation {
  perMetric: MetricRecommendation[];
  /** One τ for `servebench diff --threshold`: the largest per-metric τ; null when a metric has none. */
  overall: number | null;
  /** The metric that sets overall; null when overall is. */
  setBy: NoiseMetric | null;
  /** Metrics measured whose spread no ladder step covers. */
  uncovered: NoiseMetric[];
  runs: number;
  /** Fewer than STRONG_RUNS runs. */
  weak: boolean;
}

/**
 * Per metric: τ covering every engine, phase and statistic of it whose runs each had enough values
 * for a diff to judge it (a p99 of 60 requests is "insufficient data" in a diff whatever τ is, so
 * its spread does not raise τ).
 */
export function recommend(rows: readonly SpreadRow[], runs: number): Recommendation {
  const perMetric = NOISE_METRICS.map(({ metric, label }): MetricRecommendation => {
    const mine = rows.filter((r) => r.metric === metric);
    const counted = mine.filter((r) => r.enoughSamples && r.spread !== null);
    let worst: MetricRecommendation['worst'] = null;
    for (const r of counted) {
      if (worst === null || r.spread!.maxDeviation > worst.spread) worst = { spread: r.spread!.maxDeviation, engine: r.engine, phase: r.phase, stat: r.stat };
    }
    return {
      metric,
      label,
      tau: worst === null ? null : tauFor(worst.spread),
      worst,
      counted: counted.length,
      tooFewSamples: mine.filter((r) => !r.enoughSamples).length,
    };
  });
  const measured = perMetric.filter((m) => m.worst !== null);
  const uncovered = measured.filter((m) => m.tau === null).map((m) => m.metric);
  let overall: number | null = null;
  let setBy: NoiseMetric | null = null;
  if (uncovered.length === 0) {
    for (const m of measured) {
      if (overall === null || m.tau! > overall) {
        overall = m.tau;
        setBy = m.metric;
      }
    }
  }
  return { perMetric, overall, setBy, uncovered, runs, weak: runs < STRONG_RUNS };
}
