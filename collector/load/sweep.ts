// Sweeps: one phase per load level, named for the level (c8, r2.5), so a run compares levels side
// by side. The automatic sweep first measures the server's two extremes (one request at a time,
// then saturated) and spreads open-loop rates between them, as GuideLLM's sweep does.
import type { PhaseBounds, PhasePlan, Warmup } from './types.ts';

export type Arrival = 'constant' | 'poisson';

export interface SweepOptions {
  /** Closed-loop users per phase, one phase per level. */
  concurrency?: number[];
  /** Open-loop requests/s per phase, one phase per level (after the concurrency phases). */
  rate?: number[];
  /** Arrival process of the rate phases; poisson unless told. */
  arrival?: Arrival;
  maxInFlight?: number;
  bounds: PhaseBounds;
  warmup?: Warmup;
}

/** One phase per level; a single level is the phase `main`. */
export function sweepPhases(options: SweepOptions): PhasePlan[] {
  const common = { bounds: options.bounds, ...(options.warmup ? { warmup: options.warmup } : {}) };
  const phases: PhasePlan[] = [
    ...(options.concurrency ?? []).map((concurrency): PhasePlan => ({ name: `c${concurrency}`, load: { shape: 'closed-loop', concurrency }, ...common })),
    ...(options.rate ?? []).map((rate) => ratePhase(rate, options.arrival ?? 'poisson', options.maxInFlight, common)),
  ];
  if (phases.length === 1) return [{ ...phases[0]!, name: 'main' }];
  return phases;
}

/** Users of the saturating calibration phase: enough to fill a vLLM-sized batch on one GPU. */
export const SATURATING_CONCURRENCY = 64;

/** The automatic sweep's first two phases: the server's sequential and its saturated throughput. */
export function autoSweepCalibration(bounds: PhaseBounds, warmup?: Warmup, concurrency = SATURATING_CONCURRENCY): PhasePlan[] {
  const common = { bounds, ...(warmup ? { warmup } : {}) };
  return [
    { name: 'auto-sequential', load: { shape: 'sequential' }, ...common },
    { name: 'auto-saturated', load: { shape: 'closed-loop', concurrency }, ...common },
  ];
}

/**
 * The automatic sweep's rate phases: `steps` rates evenly spaced strictly between the two
 * measured throughputs (the ends were just measured by the calibration phases). Rates are rounded
 * to 3 significant digits so names stay readable; levels that round alike are run once.
 */
export function autoSweepPhases(
  sequentialReqPerS: number,
  saturatedReqPerS: number,
  steps: number,
  arrival: Arrival,
  bounds: PhaseBounds,
  maxInFlight?: number,
  warmup?: Warmup,
): PhasePlan[] {
  for (const [what, value] of [['sequential', sequentialReqPerS], ['saturated', saturatedReqPerS]] as const) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`auto sweep: the ${what} calibration measured no throughput (${value} req/s); check that its requests succeed`);
    }
  }
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`auto sweep: steps must be a whole number >= 1, got ${steps}`);
  // A server that does not scale (saturated ≤ sequential) still gets a sweep, over the same span.
  const low = Math.min(sequentialReqPerS, saturatedReqPerS);
  const high = Math.max(sequentialReqPerS, saturatedReqPerS);
  const rates = new Set<number>();
  for (let i = 1; i <= steps; i += 1) rates.add(Number((low + ((high - low) * i) / (steps + 1)).toPrecision(3)));
  const common = { bounds, ...(warmup ? { warmup } : {}) };
  return [...rates].map((rate) => ratePhase(rate, arrival, maxInFlight, common));
}

function ratePhase(rate: number, arrival: Arrival, maxInFlight: number | undefined, common: Pick<PhasePlan, 'bounds' | 'warmup'>): PhasePlan {
  const cap = maxInFlight !== undefined ? { maxInFlight } : {};
  return {
    name: `r${rate}`,
    load: arrival === 'constant' ? { shape: 'constant-rate', rate, ...cap } : { shape: 'poisson', rate, ...cap },
    ...common,
  };
}
