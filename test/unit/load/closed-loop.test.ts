// Closed loop and sequential on virtual time: users in flight, think time, staggered start, bounds,
// warm-up and abort.
import { describe, expect, it } from 'vitest';
import { runPhase } from '../../../collector/load/registry.ts';
import type { PhasePlan } from '../../../collector/load/types.ts';
import { fakeLoad, offsets } from './fake-driver.ts';

const closed = (concurrency: number, bounds: PhasePlan['bounds'], extra: { thinkTimeMs?: number; rampUpS?: number } = {}): PhasePlan => ({
  name: 'p',
  load: { shape: 'closed-loop', concurrency, ...extra },
  bounds,
});

describe('closed loop', () => {
  it('keeps exactly `concurrency` requests in flight, each user sending as its last one ends', async () => {
    const load = fakeLoad({ serviceMs: (seq) => 50 + (seq % 7) * 10 });
    const outcome = await load.run(runPhase(closed(4, { requests: 200 }), load.driver));
    expect(outcome).toEqual({ sent: 200, dropped: 0 });
    expect(load.sends.slice(0, 4).map((s) => s.inFlight)).toEqual([1, 2, 3, 4]);
    expect(load.sends.slice(4).every((s) => s.inFlight === 4)).toBe(true);
    // Scheduled when the user became free, and sent at that very moment.
    expect(load.sends.every((s) => s.sentAt === s.scheduledAt)).toBe(true);
    expect(load.sends.map((s) => s.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('waits the think time between a user’s response and its next request', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    await load.run(runPhase(closed(2, { requests: 6 }, { thinkTimeMs: 50 }), load.driver));
    expect(offsets(load)).toEqual([0, 0, 150, 150, 300, 300]);
    expect(load.sends.every((s) => s.sentAt === s.scheduledAt)).toBe(true);
    expect(Math.max(...load.sends.map((s) => s.inFlight))).toBe(2);
  });

  it('never sends a user’s request before its think time is over, even when the timer wakes early', async () => {
    const load = fakeLoad({ serviceMs: 100, sleepEarlyMs: 0.4 });
    await load.run(runPhase(closed(1, { requests: 3 }, { thinkTimeMs: 50 }), load.driver));
    expect(load.sends.every((s) => s.sentAt >= s.scheduledAt)).toBe(true);
    // Due 50 ms after each response; the early wake-up is slept off, so each send is 0.6 ms late.
    expect(offsets(load).map((o) => Number(o.toFixed(6)))).toEqual([0, 150, 300.6]);
  });

  it('starts users evenly over rampUpS', async () => {
    const load = fakeLoad({ serviceMs: 10_000 });
    await load.run(runPhase(closed(4, { requests: 4 }, { rampUpS: 2 }), load.driver));
    expect(offsets(load)).toEqual([0, 500, 1000, 1500]);
  });

  it('stops after `requests` sends, however many users there are', async () => {
    const load = fakeLoad({ serviceMs: 10 });
    const outcome = await load.run(runPhase(closed(8, { requests: 3 }), load.driver));
    expect(outcome.sent).toBe(3);
    expect(load.sends).toHaveLength(3);
  });

  it('sends nothing due once durationS has elapsed, then waits for the requests in flight', async () => {
    const load = fakeLoad({ serviceMs: 300 });
    const outcome = await load.run(runPhase(closed(2, { durationS: 1 }), load.driver));
    // Each user sends at 0, 300, 600, 900; the 900 ms sends end at 1200.
    expect(outcome).toEqual({ sent: 8, dropped: 0 });
    expect(Math.max(...offsets(load))).toBe(900);
    expect(load.now() - load.startMs).toBe(1200);
    expect(load.sends.every((s) => s.doneAt !== undefined)).toBe(true);
  });

  it('ends at whichever bound comes first', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    expect(await load.run(runPhase(closed(1, { requests: 1000, durationS: 1 }), load.driver))).toEqual({ sent: 10, dropped: 0 });
    const other = fakeLoad({ serviceMs: 100 });
    expect(await other.run(runPhase(closed(1, { requests: 4, durationS: 1000 }), other.driver))).toEqual({ sent: 4, dropped: 0 });
  });

  it('flags the first warm-up requests and every send due in the warm-up seconds', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    await load.run(runPhase({ ...closed(1, { requests: 6 }), warmup: { requests: 2 } }, load.driver));
    expect(load.sends.map((s) => s.warmup)).toEqual([true, true, false, false, false, false]);
    const timed = fakeLoad({ serviceMs: 100 });
    await timed.run(runPhase({ ...closed(1, { requests: 6 }), warmup: { seconds: 0.25 } }, timed.driver));
    expect(timed.sends.map((s) => s.warmup)).toEqual([true, true, true, false, false, false]);
  });

  it('on abort schedules nothing more, even mid think time, and returns once in-flight sends end', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    load.abortAt(load.startMs + 350);
    const outcome = await load.run(runPhase(closed(2, { durationS: 60 }, { thinkTimeMs: 20 }), load.driver));
    // Sends at 0, 120, 240 per user; the 360 ones would come after the abort.
    expect(outcome).toEqual({ sent: 6, dropped: 0 });
    expect(load.sends.every((s) => s.doneAt !== undefined)).toBe(true);
    expect(load.now() - load.startMs).toBe(350);
  });

  it('rejects with a failing send’s error once the other users have stopped', async () => {
    const load = fakeLoad({ serviceMs: 100, failAt: 3 });
    await expect(load.run(runPhase(closed(2, { durationS: 60 }), load.driver))).rejects.toThrow('send 3 failed');
    expect(load.sends.every((s) => s.doneAt !== undefined)).toBe(true);
    expect(load.sends.length).toBeLessThanOrEqual(5);
  });
});

describe('sequential', () => {
  it('sends one request at a time, each as the last one ends', async () => {
    const load = fakeLoad({ serviceMs: (seq) => 10 * (seq + 1) });
    const outcome = await load.run(runPhase({ name: 's', load: { shape: 'sequential' }, bounds: { requests: 5 } }, load.driver));
    expect(outcome).toEqual({ sent: 5, dropped: 0 });
    expect(offsets(load)).toEqual([0, 10, 30, 60, 100]);
    expect(load.sends.every((s) => s.inFlight === 1)).toBe(true);
  });
});
