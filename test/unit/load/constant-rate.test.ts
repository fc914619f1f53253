// Constant rate on virtual time, and through it the open loop every rate shape shares: due times
// on the clock, drops at the in-flight cap, bounds, warm-up, abort.
import { describe, expect, it } from 'vitest';
import { runPhase } from '../../../collector/load/registry.ts';
import type { PhasePlan } from '../../../collector/load/types.ts';
import { fakeLoad, offsets } from './fake-driver.ts';

const constant = (rate: number, bounds: PhasePlan['bounds'], maxInFlight?: number): PhasePlan => ({
  name: 'p',
  load: { shape: 'constant-rate', rate, ...(maxInFlight !== undefined ? { maxInFlight } : {}) },
  bounds,
});

describe('constant rate', () => {
  it('sends at exact due times from the phase start, however slow the responses', async () => {
    const load = fakeLoad({ serviceMs: 1000 });
    const outcome = await load.run(runPhase(constant(10, { durationS: 2 }), load.driver));
    expect(outcome).toEqual({ sent: 20, dropped: 0 });
    expect(offsets(load)).toEqual(Array.from({ length: 20 }, (_, k) => k * 100));
    expect(load.sends.every((s) => s.sentAt === s.scheduledAt)).toBe(true);
    expect(Math.max(...load.sends.map((s) => s.inFlight))).toBe(10);
    // Returns only once the last send (due at 1900) has been answered.
    expect(load.now() - load.startMs).toBe(2900);
  });

  it('drops and counts the arrivals that find maxInFlight sends in flight', async () => {
    const load = fakeLoad({ serviceMs: 250 });
    const outcome = await load.run(runPhase(constant(10, { durationS: 2 }, 2), load.driver));
    // Due every 100 ms, each send lasting 250 ms: two sent, one dropped, over and over.
    expect(outcome).toEqual({ sent: 14, dropped: 6 });
    expect(offsets(load)).toEqual([0, 100, 300, 400, 600, 700, 900, 1000, 1200, 1300, 1500, 1600, 1800, 1900]);
    expect(Math.max(...load.sends.map((s) => s.inFlight))).toBe(2);
    expect(load.sends.map((s) => s.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i));
  });

  it('never lets a late timer push back the arrivals after it', async () => {
    const load = fakeLoad({ serviceMs: 5, sleepLatenessMs: 30 });
    await load.run(runPhase(constant(10, { durationS: 10 }), load.driver));
    expect(offsets(load)).toEqual(Array.from({ length: 100 }, (_, k) => k * 100));
    // Each send is 30 ms late (or on time for the first), never more: lateness does not add up.
    expect(load.sends.map((s) => s.sentAt - s.scheduledAt)).toEqual([0, ...Array.from({ length: 99 }, () => 30)]);
  });

  it('never sends before the due time, even when the driver’s timer wakes early', async () => {
    const load = fakeLoad({ serviceMs: 5, sleepEarlyMs: 0.4 });
    await load.run(runPhase(constant(10, { durationS: 1 }), load.driver));
    expect(offsets(load)).toEqual(Array.from({ length: 10 }, (_, k) => k * 100));
    // Woken 0.4 ms early, the shape sleeps again (1 ms, Node's least): 0.6 ms late, never early.
    expect(load.sends.map((s) => Number((s.sentAt - s.scheduledAt).toFixed(6)))).toEqual([0, ...Array.from({ length: 9 }, () => 0.6)]);
  });

  it('catches up at once on arrivals a stalled timer made overdue', async () => {
    const load = fakeLoad({ serviceMs: 5, sleepLatenessMs: 250 });
    await load.run(runPhase(constant(10, { durationS: 1 }), load.driver));
    expect(offsets(load)).toEqual(Array.from({ length: 10 }, (_, k) => k * 100));
    expect(Math.max(...load.sends.map((s) => s.sentAt - s.scheduledAt))).toBeLessThanOrEqual(250);
  });

  it('stops after `requests` sends', async () => {
    const load = fakeLoad({ serviceMs: 10 });
    const outcome = await load.run(runPhase(constant(100, { requests: 7 }), load.driver));
    expect(outcome).toEqual({ sent: 7, dropped: 0 });
    expect(offsets(load).at(-1)).toBe(60);
  });

  it('counts warm-up sends in the request bound, and stops at whichever bound comes first', async () => {
    const load = fakeLoad({ serviceMs: 10 });
    await load.run(runPhase({ ...constant(10, { requests: 5, durationS: 60 }), warmup: { requests: 2 } }, load.driver));
    expect(load.sends.map((s) => s.warmup)).toEqual([true, true, false, false, false]);
    const timed = fakeLoad({ serviceMs: 10 });
    expect(await timed.run(runPhase(constant(10, { requests: 500, durationS: 1.05 }), timed.driver))).toEqual({ sent: 11, dropped: 0 });
  });

  it('flags every send due in the warm-up seconds', async () => {
    const load = fakeLoad({ serviceMs: 10 });
    await load.run(runPhase({ ...constant(10, { durationS: 0.6 }), warmup: { seconds: 0.35 } }, load.driver));
    expect(load.sends.map((s) => s.warmup)).toEqual([true, true, true, true, false, false]);
  });

  it('on abort schedules nothing more and returns once in-flight sends end', async () => {
    const load = fakeLoad({ serviceMs: 500 });
    load.abortAt(load.startMs + 450);
    const outcome = await load.run(runPhase(constant(10, { durationS: 60 }), load.driver));
    expect(outcome).toEqual({ sent: 5, dropped: 0 });
    expect(load.sends.every((s) => s.doneAt !== undefined)).toBe(true);
    expect(load.now() - load.startMs).toBe(900);
  });

  it('rejects with a failing send’s error after waiting for the others', async () => {
    const load = fakeLoad({ serviceMs: 500, failAt: 2 });
    await expect(load.run(runPhase(constant(10, { durationS: 60 }), load.driver))).rejects.toThrow('send 2 failed');
    expect(load.sends.every((s) => s.doneAt !== undefined)).toBe(true);
  });
});
