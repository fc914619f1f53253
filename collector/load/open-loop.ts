// What the open-loop shapes (constant-rate, poisson, ramp of rate) share: arrivals come on the
// clock whatever the server is doing, so a slow server faces the offered load instead of slowing
// the client down (no coordinated omission).
import type { LoadDriver, PhaseOutcome, PhasePlan } from './types.ts';

/**
 * The in-flight cap when a plan gives none. An open loop must have one: without it an overloaded
 * server would make the client open sockets without end. 512 is well above what one engine
 * batches, so reaching it means the server is far behind.
 */
export const DEFAULT_MAX_IN_FLIGHT = 512;

/**
 * Runs an open loop: `arrivals` yields each arrival's due time in ms after the phase start
 * (non-decreasing). Each arrival is sent at its due time without waiting for earlier sends, or
 * counted as dropped when `maxInFlight` sends are already in flight.
 */
export async function runOpenLoop(
  plan: PhasePlan,
  driver: LoadDriver,
  arrivals: Iterable<number>,
  maxInFlight: number = DEFAULT_MAX_IN_FLIGHT,
): Promise<PhaseOutcome> {
  const start = driver.now();
  const window = phaseWindow(plan);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let sent = 0;
  let dropped = 0;

  for (const offset of arrivals) {
    if (sent >= window.maxSends || offset >= window.durationMs || driver.signal.aborted || failure) break;
    // Due times are absolute (start + offset): a late timer delays one send, never the ones after it.
    const due = start + offset;
    await sleepUntil(driver, due);
    if (driver.signal.aborted || failure) break;
    if (inFlight.size >= maxInFlight) {
      dropped += 1;
      continue;
    }
    const seq = sent;
    sent += 1;
    const tracked: Promise<void> = sendSafely(driver, seq, due, window.isWarmup(seq, offset)).then(
      () => {
        inFlight.delete(tracked);
      },
      (error: unknown) => {
        failure ??= { error };
        inFlight.delete(tracked);
      },
    );
    inFlight.add(tracked);
  }

  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return { sent, dropped };
}

/**
 * Sleeps until `at` on the driver's clock, never less: Node's timers count whole ms on a cached
 * loop time and can wake up to 1 ms before a performance.now() due time; a send must not go early.
 */
export async function sleepUntil(driver: LoadDriver, at: number): Promise<void> {
  for (let wait = at - driver.now(); wait > 0 && !driver.signal.aborted; wait = at - driver.now()) {
    await driver.sleep(wait);
  }
}

/** A send that throws synchronously becomes a rejected promise, so it is handled like any other failure. */
function sendSafely(driver: LoadDriver, seq: number, due: number, warmup: boolean): Promise<void> {
  try {
    return driver.send(seq, due, warmup);
  } catch (error) {
    return Promise.reject(error);
  }
}

export interface PhaseWindow {
  /** Sends allowed in the phase (Infinity when unbounded by count). */
  maxSends: number;
  /** Nothing is scheduled at or after this offset from the phase start (Infinity when unbounded by time). */
  durationMs: number;
  /** Whether send `seq`, due `offsetMs` after the phase start, is warm-up. */
  isWarmup(seq: number, offsetMs: number): boolean;
}

/** The phase's bounds and warm-up as offsets from its start; the closed loop uses them too. */
export function phaseWindow(plan: PhasePlan): PhaseWindow {
  const { requests, durationS } = plan.bounds;
  // A phase with neither bound would never end; registry.phaseProblems reports it before a run.
  if (requests === undefined && durationS === undefined) {
    throw new RangeError(`phase "${plan.name}" has no bound: give requests or durationS`);
  }
  const warmRequests = plan.warmup?.requests ?? 0;
  const warmMs = (plan.warmup?.seconds ?? 0) * 1000;
  return {
    maxSends: requests ?? Number.POSITIVE_INFINITY,
    durationMs: durationS === undefined ? Number.POSITIVE_INFINITY : durationS * 1000,
    isWarmup: (seq, offsetMs) => seq < warmRequests || offsetMs < warmMs,
  };
}
