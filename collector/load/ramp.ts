// Ramp: load rising (or falling) linearly from `from` to `to` over the phase's durationS, either
// as an open-loop arrival rate or as a number of closed-loop users. It finds the knee of the
// latency curve in one phase instead of a sweep of many.
import { runUsers, type UserSpan } from './closed-loop.ts';
import { runOpenLoop } from './open-loop.ts';
import type { LoadShape } from './types.ts';

/**
 * Due time of arrival `k` (ms after the phase start) for a rate going linearly from `from` to `to`
 * req/s over `durationMs`: the time t at which the expected arrivals so far, Λ(t) = from·t +
 * (to − from)·t²/2T, reach k, so arrival 0 is at the start and the spacing follows the rate.
 * NaN once Λ can no longer reach k (a falling rate past its zero).
 */
export function rampOffsetMs(k: number, from: number, to: number, durationMs: number): number {
  if (k === 0) return 0;
  const a = (to - from) / (2 * durationMs * 1000); // Λ in arrivals, t in ms: rates are per 1000 ms.
  const b = from / 1000;
  if (a === 0) return k / b;
  const discriminant = b * b + 4 * a * k;
  if (discriminant < 0) return Number.NaN;
  // The root of a·t² + b·t − k = 0 in the form that does not cancel when a is tiny.
  return (2 * k) / (b + Math.sqrt(discriminant));
}

export function* rampArrivals(from: number, to: number, durationMs: number): Generator<number> {
  for (let k = 0; ; k += 1) {
    const offset = rampOffsetMs(k, from, to, durationMs);
    // Past the phase end the formula extrapolates the ramp; the open loop stops there anyway.
    if (!(offset <= durationMs)) return;
    yield offset;
  }
}

/**
 * Users for a ramp of `from` to `to` users over `durationMs`: the phase splits into
 * |to − from| + 1 equal steps and the user count changes by one at each step boundary, so the
 * last level also runs for a whole step. Falling ramps stop users (after their current request).
 */
export function rampUsers(from: number, to: number, durationMs: number): UserSpan[] {
  const step = durationMs / (Math.abs(to - from) + 1);
  const users: UserSpan[] = [];
  for (let i = 1; i <= Math.max(from, to); i += 1) {
    if (to >= from) users.push({ startMs: i <= from ? 0 : (i - from) * step, stopMs: Number.POSITIVE_INFINITY });
    else users.push({ startMs: 0, stopMs: i <= to ? Number.POSITIVE_INFINITY : (from - i + 1) * step });
  }
  return users;
}

export const runRamp: LoadShape = (plan, driver) => {
  const load = plan.load;
  if (load.shape !== 'ramp') throw new TypeError(`ramp shape given a ${load.shape} phase`);
  const durationS = plan.bounds.durationS;
  if (durationS === undefined) throw new RangeError(`ramp phase "${plan.name}" needs durationS: the ramp spans it`);
  const durationMs = durationS * 1000;
  if (load.of === 'users') return runUsers(plan, driver, rampUsers(load.from, load.to, durationMs));
  return runOpenLoop(plan, driver, rampArrivals(load.from, load.to, durationMs), load.maxInFlight);
};
