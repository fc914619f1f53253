// The load shapes by the names users type, and what a person or a --dry-run needs to know about a
// phase before it runs: its problems, one line describing it, and how many requests and seconds
// it should take.
import { runClosedLoop } from './closed-loop.ts';
import { constantOffsetMs, runConstantRate } from './constant-rate.ts';
import { DEFAULT_MAX_IN_FLIGHT } from './open-loop.ts';
import { runPoisson } from './poisson.ts';
import { rampOffsetMs, runRamp } from './ramp.ts';
import { runSequential } from './sequential.ts';
import type { LoadDriver, LoadSpec, LoadShape, PhaseOutcome, PhasePlan, ShapeName } from './types.ts';

/** The shapes as they are; runPhase checks the plan first. */
export const SHAPES: Record<ShapeName, LoadShape> = {
  sequential: runSequential,
  'closed-loop': runClosedLoop,
  'constant-rate': runConstantRate,
  poisson: runPoisson,
  ramp: runRamp,
};

/** Runs a phase after checking its plan, which it refuses with every problem listed. */
export function runPhase(plan: PhasePlan, driver: LoadDriver): Promise<PhaseOutcome> {
  const problems = phaseProblems(plan);
  if (problems.length > 0) return Promise.reject(new RangeError(`phase "${plan.name}": ${problems.join('; ')}`));
  return SHAPES[plan.load.shape](plan, driver);
}

/** What is wrong with a plan, as sentences for a person; empty when it can run. */
export function phaseProblems(plan: PhasePlan): string[] {
  const problems: string[] = [];
  const positive = (what: string, value: number | undefined, integer = false) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
      problems.push(`${what} must be a ${integer ? 'whole number' : 'number'} > 0, got ${value}`);
    }
  };
  const nonNegative = (what: string, value: number | undefined, integer = false) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value)))) {
      problems.push(`${what} must be a ${integer ? 'whole number' : 'number'} >= 0, got ${value}`);
    }
  };
  const { requests, durationS } = plan.bounds;
  if (requests === undefined && durationS === undefined) problems.push('give requests or durationS, or the phase never ends');
  positive('requests', requests, true);
  positive('durationS', durationS);
  nonNegative('warm-up requests', plan.warmup?.requests, true);
  nonNegative('warm-up seconds', plan.warmup?.seconds);

  const load = plan.load;
  switch (load.shape) {
    case 'sequential':
      break;
    case 'closed-loop':
      positive('concurrency', load.concurrency, true);
      nonNegative('thinkTimeMs', load.thinkTimeMs);
      nonNegative('rampUpS', load.rampUpS);
      break;
    case 'constant-rate':
    case 'poisson':
      positive('rate', load.rate);
      positive('maxInFlight', load.maxInFlight, true);
      break;
    case 'ramp': {
      const users = load.of === 'users';
      if (load.of !== 'rate' && !users) problems.push(`ramp of must be rate or users, got ${String(load.of)}`);
      nonNegative('ramp from', load.from, users);
      nonNegative('ramp to', load.to, users);
      if (load.from === 0 && load.to === 0) problems.push('a ramp from 0 to 0 sends nothing');
      positive('maxInFlight', load.maxInFlight, true);
      if (durationS === undefined) problems.push('a ramp needs durationS: it rises over the phase duration');
      break;
    }
    default:
      problems.push(`unknown load shape "${(load as { shape: unknown }).shape as string}"; known: ${Object.keys(SHAPES).join(', ')}`);
  }
  return problems;
}

/**
 * The most requests the phase can have in flight, and whether they belong to users (a closed loop:
 * each user sends its next request after its last, so holds one connection) or to arrivals.
 */
export function inFlightCap(load: LoadSpec): { cap: number; users: boolean } {
  switch (load.shape) {
    case 'sequential':
      return { cap: 1, users: true };
    case 'closed-loop':
      return { cap: load.concurrency, users: true };
    case 'constant-rate':
    case 'poisson':
      return { cap: load.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, users: false };
    case 'ramp':
      return load.of === 'users'
        ? { cap: Math.max(load.from, load.to), users: true }
        : { cap: load.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, users: false };
  }
}

/** One line a person reads, e.g. "poisson 20 req/s, up to 64 in flight, 15 s". */
export function describePhase(plan: PhasePlan): string {
  const parts = [describeLoad(plan.load), describeBounds(plan)];
  const warm: string[] = [];
  if (plan.warmup?.requests) warm.push(`first ${plural(plan.warmup.requests, 'request')}`);
  if (plan.warmup?.seconds) warm.push(`first ${num(plan.warmup.seconds)} s`);
  if (warm.length > 0) parts.push(`warm-up ${warm.join(' and ')}`);
  return parts.join(', ');
}

function describeLoad(load: LoadSpec): string {
  const cap = (maxInFlight: number | undefined) => `up to ${maxInFlight ?? DEFAULT_MAX_IN_FLIGHT} in flight`;
  switch (load.shape) {
    case 'sequential':
      return 'sequential, 1 in flight';
    case 'closed-loop': {
      const parts = [`closed loop ${plural(load.concurrency, 'user')}`];
      if (load.thinkTimeMs) parts.push(`${num(load.thinkTimeMs)} ms think time`);
      if (load.rampUpS) parts.push(`started over ${num(load.rampUpS)} s`);
      return parts.join(', ');
    }
    case 'constant-rate':
      return `constant ${num(load.rate)} req/s, ${cap(load.maxInFlight)}`;
    case 'poisson':
      return `poisson ${num(load.rate)} req/s, ${cap(load.maxInFlight)}`;
    case 'ramp':
      return load.of === 'users'
        ? `ramp ${num(load.from)} → ${num(load.to)} users`
        : `ramp ${num(load.from)} → ${num(load.to)} req/s, ${cap(load.maxInFlight)}`;
  }
}

function describeBounds(plan: PhasePlan): string {
  const { requests, durationS } = plan.bounds;
  if (requests !== undefined && durationS !== undefined) return `${plural(requests, 'request')} or ${num(durationS)} s, whichever first`;
  if (requests !== undefined) return plural(requests, 'request');
  return `${num(durationS ?? 0)} s`;
}

/**
 * Requests the phase should send, for a --dry-run: exact for the deterministic shapes, the mean
 * for poisson, assuming no arrival is dropped; null when the server's speed decides (a closed
 * loop bounded by time).
 */
export function expectedRequests(plan: PhasePlan): number | null {
  const { requests, durationS } = plan.bounds;
  const limit = requests ?? Number.POSITIVE_INFINITY;
  const load = plan.load;
  if (durationS === undefined) return requests ?? null;
  const durationMs = durationS * 1000;
  switch (load.shape) {
    case 'sequential':
    case 'closed-loop':
      return null;
    case 'constant-rate':
      return Math.min(limit, arrivalsBefore((k) => constantOffsetMs(k, load.rate), durationMs, Math.ceil(load.rate * durationS)));
    case 'poisson':
      return Math.min(limit, Math.round(load.rate * durationS));
    case 'ramp':
      if (load.of === 'users') return null;
      return Math.min(
        limit,
        arrivalsBefore((k) => rampOffsetMs(k, load.from, load.to, durationMs), durationMs, Math.ceil(((load.from + load.to) / 2) * durationS)),
      );
  }
}

/**
 * Seconds over which the phase schedules sends (the last responses come after), for a --dry-run;
 * null when the server's speed decides (a closed loop bounded by requests).
 */
export function expectedDurationS(plan: PhasePlan): number | null {
  const { requests, durationS } = plan.bounds;
  const load = plan.load;
  const within = (seconds: number) => (durationS === undefined ? seconds : Math.min(durationS, seconds));
  if (requests === undefined) return durationS ?? null;
  switch (load.shape) {
    case 'sequential':
    case 'closed-loop':
      return null;
    case 'constant-rate':
      return within(constantOffsetMs(requests - 1, load.rate) / 1000);
    case 'poisson':
      return within(requests / load.rate);
    case 'ramp': {
      if (load.of === 'users' || durationS === undefined) return null;
      const last = rampOffsetMs(requests - 1, load.from, load.to, durationS * 1000);
      return Number.isNaN(last) ? durationS : within(last / 1000);
    }
  }
}

/** How many of the arrivals at offsetMs(0), offsetMs(1) … fall before `limitMs`, starting from a closed-form guess. */
function arrivalsBefore(offsetMs: (k: number) => number, limitMs: number, guess: number): number {
  // The guess is off by one at most through rounding; stepping with the shape's own formula makes
  // the count agree with what the shape will send.
  const before = (k: number) => offsetMs(k) < limitMs;
  let count = Math.max(0, guess);
  while (count > 0 && !before(count - 1)) count -= 1;
  while (before(count)) count += 1;
  return count;
}

const num = (x: number) => String(Number.isInteger(x) ? x : Number(x.toPrecision(4)));
const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;
