// Closed loop: a fixed set of users, each sending its next request only after its last one ended
// (plus think time). The server's speed sets the rate; the sequential shape and the ramp of users
// are closed loops too.
import { phaseWindow, sleepUntil } from './open-loop.ts';
import type { LoadDriver, LoadShape, PhaseOutcome, PhasePlan } from './types.ts';

/** When one user is active, in ms after the phase start: it starts at `startMs` and sends nothing due at or after `stopMs`. */
export interface UserSpan {
  startMs: number;
  stopMs: number;
}

/**
 * Runs one async loop per user. A request is due when its user became free (its start, or its
 * last response plus think time); that due time is what the driver gets as `scheduledAt`.
 */
export async function runUsers(plan: PhasePlan, driver: LoadDriver, users: readonly UserSpan[], thinkTimeMs = 0): Promise<PhaseOutcome> {
  const start = driver.now();
  const window = phaseWindow(plan);
  let failure: { error: unknown } | undefined;
  let sent = 0;
  const stopped = () => driver.signal.aborted || failure !== undefined || sent >= window.maxSends;

  const user = async (span: UserSpan): Promise<void> => {
    let offset = span.startMs;
    for (;;) {
      if (stopped() || offset >= window.durationMs || offset >= span.stopMs) return;
      await sleepUntil(driver, start + offset);
      // Checked again: while this user slept, others may have used up the request budget.
      if (stopped()) return;
      const seq = sent;
      sent += 1;
      try {
        await driver.send(seq, start + offset, window.isWarmup(seq, offset));
      } catch (error) {
        failure ??= { error };
        return;
      }
      offset = driver.now() - start + thinkTimeMs;
    }
  };

  await Promise.all(users.map(user));
  if (failure) throw failure.error;
  return { sent, dropped: 0 };
}

/** `concurrency` users started evenly over rampUpS (user i at i·rampUp/concurrency), so they do not all hit the server at once. */
export function staggeredUsers(concurrency: number, rampUpS = 0): UserSpan[] {
  const stepMs = (rampUpS * 1000) / concurrency;
  return Array.from({ length: concurrency }, (_, i) => ({ startMs: i * stepMs, stopMs: Number.POSITIVE_INFINITY }));
}

export const runClosedLoop: LoadShape = (plan, driver) => {
  const load = plan.load;
  if (load.shape !== 'closed-loop') throw new TypeError(`closed-loop shape given a ${load.shape} phase`);
  return runUsers(plan, driver, staggeredUsers(load.concurrency, load.rampUpS), load.thinkTimeMs);
};
