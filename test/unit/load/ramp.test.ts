// Ramps: an open-loop rate or a number of closed-loop users moving linearly over the phase.
import { describe, expect, it } from 'vitest';
import { rampOffsetMs, rampUsers } from '../../../collector/load/ramp.ts';
import { runPhase } from '../../../collector/load/registry.ts';
import type { PhasePlan } from '../../../collector/load/types.ts';
import { fakeLoad, offsets } from './fake-driver.ts';

const ramp = (of: 'rate' | 'users', from: number, to: number, durationS: number, requests?: number): PhasePlan => ({
  name: 'p',
  load: { shape: 'ramp', of, from, to },
  bounds: { durationS, ...(requests !== undefined ? { requests } : {}) },
});

/** Sends per whole second of the phase. */
function perSecond(times: number[], seconds: number): number[] {
  const counts = Array.from({ length: seconds }, () => 0);
  for (const t of times) counts[Math.floor(t / 1000)]! += 1;
  return counts;
}

describe('ramp of rate', () => {
  it('sends at a rate rising linearly from `from` to `to` over durationS', async () => {
    const load = fakeLoad({ serviceMs: 5 });
    const outcome = await load.run(runPhase(ramp('rate', 10, 100, 10), load.driver));
    // (10 + 100) / 2 req/s over 10 s.
    expect(outcome.sent).toBe(550);
    const counts = perSecond(offsets(load), 10);
    // Second i runs at about 10 + 9·(i + 0.5) req/s.
    counts.forEach((n, i) => expect(Math.abs(n - (10 + 9 * (i + 0.5)))).toBeLessThanOrEqual(1));
    const g = offsets(load).slice(1).map((t, i) => t - offsets(load)[i]!);
    expect(g.every((gap, i) => i === 0 || gap <= g[i - 1]! + 1e-9)).toBe(true);
    expect(load.sends.every((s) => s.sentAt === s.scheduledAt)).toBe(true);
  });

  it('falls as well as rises', async () => {
    const load = fakeLoad({ serviceMs: 5 });
    await load.run(runPhase(ramp('rate', 100, 10, 10), load.driver));
    const counts = perSecond(offsets(load), 10);
    counts.forEach((n, i) => expect(Math.abs(n - (100 - 9 * (i + 0.5)))).toBeLessThanOrEqual(1));
  });

  it('is the constant-rate schedule when from equals to', () => {
    expect(Array.from({ length: 5 }, (_, k) => rampOffsetMs(k, 4, 4, 10_000))).toEqual([0, 250, 500, 750, 1000]);
  });

  it('starts from a rate of 0 and stops early at a request bound', async () => {
    const load = fakeLoad({ serviceMs: 5 });
    const outcome = await load.run(runPhase(ramp('rate', 0, 20, 10, 30), load.driver));
    expect(outcome.sent).toBe(30);
    // Λ(t) = t²: arrival k at √k s.
    expect(offsets(load)[4]).toBeCloseTo(2000, 6);
    expect(offsets(load)[29]).toBeCloseTo(Math.sqrt(29) * 1000, 6);
  });

  it('is refused without durationS', async () => {
    const load = fakeLoad();
    await expect(runPhase({ name: 'p', load: { shape: 'ramp', of: 'rate', from: 1, to: 5 }, bounds: { requests: 5 } }, load.driver)).rejects.toThrow(
      /needs durationS/,
    );
  });
});

describe('ramp of users', () => {
  it('adds one user per equal step, the last level running a whole step', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    await load.run(runPhase(ramp('users', 1, 4, 40), load.driver));
    const most = (from: number, to: number) =>
      Math.max(...load.sends.filter((s) => s.scheduledAt - load.startMs >= from && s.scheduledAt - load.startMs < to).map((s) => s.inFlight));
    expect([most(0, 10_000), most(10_000, 20_000), most(20_000, 30_000), most(30_000, 40_000)]).toEqual([1, 2, 3, 4]);
    expect(rampUsers(1, 4, 40_000).map((u) => u.startMs)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('stops users one step at a time when falling', async () => {
    const load = fakeLoad({ serviceMs: 100 });
    await load.run(runPhase(ramp('users', 3, 1, 30), load.driver));
    const most = (from: number, to: number) =>
      Math.max(...load.sends.filter((s) => s.scheduledAt - load.startMs >= from && s.scheduledAt - load.startMs < to).map((s) => s.inFlight));
    // Windows clear of the step boundaries, where a leaving user's last request is still ending.
    expect([most(0, 9_900), most(10_100, 19_900), most(20_100, 30_000)]).toEqual([3, 2, 1]);
    expect(rampUsers(3, 1, 30_000).map((u) => u.stopMs)).toEqual([Infinity, 20_000, 10_000]);
  });
});
