// Poisson arrivals: independent exponential gaps of mean 1/rate s, drawn from the driver's seeded
// random numbers, so the same seed replays the same schedule.
import { runOpenLoop } from './open-loop.ts';
import type { Rng } from '../sim/types.ts';
import type { LoadShape } from './types.ts';

/** One exponential gap in ms by inverse CDF: -ln(1 - u) / rate, with 1 - u in (0, 1] so the log is finite. */
export function exponentialGapMs(rate: number, rng: Rng): number {
  return (-Math.log(1 - rng.next()) * 1000) / rate;
}

/** Arrival times of a Poisson process started at the phase start: the first arrival is one gap in. */
export function* poissonArrivals(rate: number, rng: Rng): Generator<number> {
  let at = 0;
  for (;;) {
    at += exponentialGapMs(rate, rng);
    yield at;
  }
}

export const runPoisson: LoadShape = (plan, driver) => {
  const load = plan.load;
  if (load.shape !== 'poisson') throw new TypeError(`poisson shape given a ${load.shape} phase`);
  return runOpenLoop(plan, driver, poissonArrivals(load.rate, driver.rng), load.maxInFlight);
};
