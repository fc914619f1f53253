// Constant rate: one arrival every 1/rate s on the clock, the first at the phase start.
import { runOpenLoop } from './open-loop.ts';
import type { LoadShape } from './types.ts';

/** Due time of arrival `k`, ms after the phase start; computed from k, not summed, so it never drifts. */
export function constantOffsetMs(k: number, rate: number): number {
  return (k * 1000) / rate;
}

export function* constantArrivals(rate: number): Generator<number> {
  for (let k = 0; ; k += 1) yield constantOffsetMs(k, rate);
}

export const runConstantRate: LoadShape = (plan, driver) => {
  const load = plan.load;
  if (load.shape !== 'constant-rate') throw new TypeError(`constant-rate shape given a ${load.shape} phase`);
  return runOpenLoop(plan, driver, constantArrivals(load.rate), load.maxInFlight);
};
