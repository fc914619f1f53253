// Verdicts on a phase: each objective judged on its measured value and 95 % interval, so a lucky
// or unlucky sample cannot decide (stats/verdictFor: met only when the whole interval meets it).
// - percentiles: the order-statistic interval from the phase's sorted samples (Distribution.ci95);
// - means: a seeded bootstrap of the samples;
// - error_rate: failed / measured requests, with its Wilson interval (dropped arrivals were never
//   sent and are reported on their own);
// - output_tokens_per_s, requests_per_s: one rate over one window, which a single run gives no
//   sampling interval: both sides are null and the verdict is on the value itself.
import type { Distribution, Objective, PhaseSlo, PhaseSummary, SloVerdict, Verdict } from '../../store/schema/index.ts';
import { bootstrapInterval, proportionInterval, verdictFor, type Bound } from '../stats/index.ts';
import { round3 } from '../precision.ts';
import { goodputOf } from './goodput.ts';

/** A phase's latency samples, for the statistics its distributions do not carry an interval of (the mean). */
export interface PhaseSamples {
  ttft: ArrayLike<number>;
  tpot: ArrayLike<number>;
  itl: ArrayLike<number>;
  e2e: ArrayLike<number>;
}

type Figures = Omit<PhaseSummary, 'slo'>;

const UNBOUNDED: Bound = { lo: null, hi: null };

export function evaluatePhase(objectives: readonly Objective[], phase: Figures, samples: PhaseSamples, goodRequests: number): PhaseSlo {
  const verdicts = objectives.map((objective) => judge(objective, phase, samples));
  return {
    verdicts,
    verdict: overallVerdict(verdicts.map((v) => v.verdict)),
    goodput: goodputOf(objectives, goodRequests, phase.requests.total, phase.window.durationS),
  };
}

/**
 * All objectives together: missed if any is; else inconclusive if any is, or if some could not be
 * measured while others were (an objective without data cannot count as met); 'no data' when none was.
 */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0 || verdicts.every((v) => v === 'no data')) return 'no data';
  if (verdicts.includes('missed')) return 'missed';
  if (verdicts.includes('inconclusive') || verdicts.includes('no data')) return 'inconclusive';
  return 'met';
}

export function judge(objective: Objective, phase: Figures, samples: PhaseSamples): SloVerdict {
  const { measured, ci } = measure(objective, phase, samples);
  // A rate has no interval to judge: its value is.
  const judged = isRate(objective) && measured !== null ? { lo: measured, hi: measured } : ci;
  return { objective: objective.text, measured, ci, verdict: verdictFor(measured, judged, objective.op, objective.value), margin: marginOf(objective, measured) };
}

function isRate(objective: Objective): boolean {
  return objective.metric === 'output_tokens_per_s' || objective.metric === 'requests_per_s';
}

function measure(objective: Objective, phase: Figures, samples: PhaseSamples): { measured: number | null; ci: Bound } {
  switch (objective.metric) {
    case 'ttft':
      return latency(objective, phase.ttftMs, samples.ttft);
    case 'tpot':
      return latency(objective, phase.tpotMs, samples.tpot);
    case 'itl':
      return latency(objective, phase.itlMs, samples.itl);
    case 'e2e':
      return latency(objective, phase.e2eMs, samples.e2e);
    case 'error_rate': {
      const { total, failed } = phase.requests;
      if (total === 0) return { measured: null, ci: UNBOUNDED };
      return { measured: failed / total, ci: proportionInterval(failed, total) };
    }
    case 'output_tokens_per_s':
      return { measured: phase.requests.total === 0 ? null : phase.outputTokensPerS, ci: UNBOUNDED };
    case 'requests_per_s':
      return { measured: phase.requests.total === 0 ? null : phase.requestsPerS, ci: UNBOUNDED };
  }
}

function latency(objective: Objective, distribution: Distribution, values: ArrayLike<number>): { measured: number | null; ci: Bound } {
  const stat = objective.stat ?? 'p50';
  if (stat === 'mean') return { measured: distribution.mean, ci: rounded(meanInterval(values)) };
  return { measured: distribution[stat], ci: distribution.ci95?.[stat] ?? UNBOUNDED };
}

/** Room left before the threshold, as a fraction of it: positive meets, negative misses. */
function marginOf(objective: Objective, measured: number | null): number | null {
  if (measured === null || objective.value === 0) return null;
  const upper = objective.op === '<' || objective.op === '<=';
  const room = upper ? objective.value - measured : measured - objective.value;
  return Math.round((room / objective.value) * 10_000) / 10_000;
}

/** Beyond this many samples the bootstrap resamples batch means rather than samples (its cost grows with n × resamples). */
const BOOTSTRAP_SAMPLE_LIMIT = 20_000;
const MEAN_SEED = 1;

/**
 * The interval of a mean. Over many samples (ITL pools every gap of every request) the bootstrap
 * runs over the means of consecutive batches instead, whose mean is the samples' to within the
 * remainder the last batch takes (fewer samples than one batch); batches of neighbours also carry
 * any correlation between them, so the interval is if anything wider.
 */
function meanInterval(values: ArrayLike<number>): Bound {
  const n = values.length;
  if (n === 0) return UNBOUNDED;
  const mean = (sample: Float64Array): number => {
    let sum = 0;
    for (const value of sample) sum += value;
    return sum / sample.length;
  };
  if (n <= BOOTSTRAP_SAMPLE_LIMIT) return bootstrapInterval(values, mean, { seed: MEAN_SEED });
  const size = Math.ceil(n / BOOTSTRAP_SAMPLE_LIMIT);
  const batches = Math.floor(n / size);
  const means = new Float64Array(batches);
  for (let b = 0; b < batches; b++) {
    const end = b === batches - 1 ? n : (b + 1) * size;
    let sum = 0;
    for (let i = b * size; i < end; i++) sum += values[i]!;
    means[b] = sum / (end - b * size);
  }
  return bootstrapInterval(means, mean, { seed: MEAN_SEED });
}

function rounded(bound: Bound): Bound {
  return { lo: bound.lo === null ? null : round3(bound.lo), hi: bound.hi === null ? null : round3(bound.hi) };
}
