// Honest statistics for everything servebench shows: confidence intervals for quantiles and
// proportions, a seeded bootstrap for the rest, and verdicts and winners read off the intervals.
// Everyone imports from here; docs/statistics.md says what the intervals mean.
export { CONFIDENCE, type Bound } from './bound.ts';
export { quantile } from './quantile.ts';
export { quantileInterval, minSamplesFor } from './quantile-interval.ts';
export { proportionInterval } from './proportion-interval.ts';
export { bootstrapInterval, DEFAULT_RESAMPLES, type BootstrapOptions } from './bootstrap.ts';
export { verdictFor, type Comparison, type Verdict } from './verdict.ts';
export { clearWinner, type Candidate, type WinnerResult } from './winner.ts';
export { ratioInterval, replicateRatioInterval, type RatioInterval } from './ratio-interval.ts';
export { mannWhitney, type MannWhitneyResult } from './mann-whitney.ts';
export { cliffsDelta } from './cliffs-delta.ts';
export { hodgesLehmann } from './hodges-lehmann.ts';
export { benjaminiHochberg, type AdjustedPValues } from './benjamini-hochberg.ts';
export { diffVerdict, DEFAULT_THRESHOLD, type DiffEvidence, type DiffVerdict, type Direction } from './diff-verdict.ts';
export { quantileRatioInterval } from './quantile-ratio-interval.ts';
