// Poisson arrivals: exponential gaps (mean 1/rate, coefficient of variation 1), replayable from the seed.
import { describe, expect, it } from 'vitest';
import { exponentialGapMs, poissonArrivals } from '../../../collector/load/poisson.ts';
import { runPhase } from '../../../collector/load/registry.ts';
import type { PhasePlan } from '../../../collector/load/types.ts';
import { createRng } from '../../../collector/sim/model/rng.ts';
import { fakeLoad, offsets } from './fake-driver.ts';

const poisson = (rate: number, bounds: PhasePlan['bounds'], maxInFlight?: number): PhasePlan => ({
  name: 'p',
  load: { shape: 'poisson', rate, ...(maxInFlight !== undefined ? { maxInFlight } : {}) },
  bounds,
});

function stats(values: number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, cv: Math.sqrt(variance) / mean };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('poisson', () => {
  it('draws gaps of mean 1/rate and coefficient of variation 1', () => {
    const rng = createRng(42);
    const { mean, cv } = stats(Array.from({ length: 200_000 }, () => exponentialGapMs(20, rng)));
    expect(mean).toBeGreaterThan(50 * 0.99);
    expect(mean).toBeLessThan(50 * 1.01);
    expect(cv).toBeGreaterThan(0.99);
    expect(cv).toBeLessThan(1.01);
  });

  it('is memoryless: as many gaps above the mean as an exponential has (e^-1)', () => {
    const rng = createRng(7);
    const draws = Array.from({ length: 100_000 }, () => exponentialGapMs(10, rng));
    expect(draws.filter((g) => g > 100).length / draws.length).toBeCloseTo(Math.exp(-1), 2);
    expect(draws.every((g) => Number.isFinite(g) && g >= 0)).toBe(true);
  });

  it('sends at the scheduled arrivals over a phase, with the expected count, mean gap and CV', async () => {
    const load = fakeLoad({ serviceMs: 30, seed: 3 });
    const outcome = await load.run(runPhase(poisson(50, { durationS: 200 }), load.driver));
    expect(outcome.dropped).toBe(0);
    // 10 000 expected; the count of a Poisson process has standard deviation √10 000 = 100.
    expect(Math.abs(outcome.sent - 10_000)).toBeLessThan(400);
    expect(load.sends.every((s) => s.sentAt === s.scheduledAt)).toBe(true);
    const { mean, cv } = stats(gaps(offsets(load)));
    expect(Math.abs(mean - 20) / 20).toBeLessThan(0.03);
    expect(Math.abs(cv - 1)).toBeLessThan(0.04);
  });

  it('replays the same schedule from the same seed, and another from another seed', async () => {
    const schedule = async (seed: number) => {
      const load = fakeLoad({ serviceMs: 10, seed });
      await load.run(runPhase(poisson(20, { requests: 50 }), load.driver));
      return offsets(load);
    };
    const first = await schedule(11);
    expect(await schedule(11)).toEqual(first);
    expect(await schedule(12)).not.toEqual(first);
    // And it is the generator's schedule, offset by the phase start.
    const direct = poissonArrivals(20, createRng(11));
    first.forEach((at) => expect(at).toBeCloseTo(direct.next().value as number, 9));
  });

  it('keeps drawing arrivals while the cap drops them, so drops do not shift the schedule', async () => {
    const capped = fakeLoad({ serviceMs: 400, seed: 5 });
    const outcome = await capped.run(runPhase(poisson(20, { durationS: 10 }, 3), capped.driver));
    expect(outcome.dropped).toBeGreaterThan(0);
    expect(Math.max(...capped.sends.map((s) => s.inFlight))).toBe(3);
    const free = fakeLoad({ serviceMs: 400, seed: 5 });
    const all = await free.run(runPhase(poisson(20, { durationS: 10 }), free.driver));
    expect(outcome.sent + outcome.dropped).toBe(all.sent);
    // Every send made under the cap is one of the uncapped schedule's arrivals.
    const scheduled = new Set(offsets(free));
    expect(offsets(capped).every((o) => scheduled.has(o))).toBe(true);
  });
});
