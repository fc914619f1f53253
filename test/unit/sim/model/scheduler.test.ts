import { describe, it, expect } from 'vitest';
import { realClock, virtualClock } from '../../../../collector/sim/model/clocks.ts';
import { PROFILES, withOverrides } from '../../../../collector/sim/model/profiles.ts';
import { createRng } from '../../../../collector/sim/model/rng.ts';
import { createScheduler } from '../../../../collector/sim/model/scheduler.ts';
import type { Clock, JobTimings, LatencyProfile, SchedulerObserver, SimJob } from '../../../../collector/sim/types.ts';

interface TestJob extends SimJob {
  tokens: number[];
  outcome?: 'finished' | 'cancelled';
  doneAt?: number;
  doneCalls: number;
}

function testJob(id: string, promptTokens: number, outputTokens: number, hooks: Partial<Pick<SimJob, 'onToken' | 'onDone'>> = {}): TestJob {
  const job: TestJob = {
    id,
    promptTokens,
    outputTokens,
    tokens: [],
    doneCalls: 0,
    onToken(index, at) {
      expect(index).toBe(job.tokens.length);
      job.tokens.push(at);
      hooks.onToken?.(index, at);
    },
    onDone(outcome, at) {
      job.doneCalls += 1;
      job.outcome = outcome;
      job.doneAt = at;
      hooks.onDone?.(outcome, at);
    },
  };
  return job;
}

/** A vLLM-shaped engine without jitter, so step times can be checked against the cost formula. */
const steady = withOverrides(PROFILES.vllm, { jitter: 0 });

function setup(profile: LatencyProfile, observer: SchedulerObserver = {}, seed = 1) {
  const clock = virtualClock();
  const scheduler = createScheduler(profile, { clock, rng: createRng(seed), observer });
  return { clock, scheduler };
}

/** Submits `job` at virtual time `at`. */
function submitAt(clock: ReturnType<typeof virtualClock>, scheduler: { submit(job: SimJob): void }, at: number, job: SimJob) {
  clock.setTimer(() => scheduler.submit(job), at - clock.now());
}

describe('engine step loop', () => {
  it('emits token 0 at the end of prefill and one token per decode step, with durations from the profile', () => {
    const timings: JobTimings[] = [];
    const { clock, scheduler } = setup(steady, { onFinished: (_job, t) => timings.push(t) });
    const job = testJob('a', 100, 5);
    scheduler.submit(job);
    clock.runUntilIdle();
    const prefill = 12 + 0.08 * 100;
    const decode = 12 + 0.12 * 1;
    const expected = [prefill, prefill + decode, prefill + 2 * decode, prefill + 3 * decode, prefill + 4 * decode];
    expect(job.tokens).toHaveLength(5);
    job.tokens.forEach((at, i) => expect(at).toBeCloseTo(expected[i]!, 9));
    expect(job.outcome).toBe('finished');
    expect(job.doneAt).toBe(job.tokens[4]);
    expect(timings).toHaveLength(1);
    expect(timings[0]!.queueMs).toBe(0);
    expect(timings[0]!.prefillMs).toBeCloseTo(prefill, 9);
    expect(timings[0]!.decodeMs).toBeCloseTo(4 * decode, 9);
    expect(timings[0]!.e2eMs).toBeCloseTo(prefill + 4 * decode, 9);
  });

  it('batches the jobs that arrive together into one step', () => {
    const admitted: Array<[string, number]> = [];
    const { clock, scheduler } = setup(steady, { onAdmitted: (job, queueMs) => admitted.push([job.id, queueMs]) });
    const a = testJob('a', 100, 3);
    const b = testJob('b', 300, 3);
    scheduler.submit(a);
    scheduler.submit(b);
    clock.runUntilIdle();
    expect(admitted).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    // One prefill step for both prompts, then both decode together.
    expect(a.tokens[0]).toBeCloseTo(12 + 0.08 * 400, 9);
    expect(b.tokens).toEqual(a.tokens);
  });

  it('admits in arrival order and never runs more than maxBatch sequences', () => {
    const order: string[] = [];
    let widest = 0;
    const profile = withOverrides(steady, { maxBatch: 2 });
    const { clock, scheduler } = setup(profile, {
      onAdmitted: (job) => order.push(job.id),
      onStep: (step) => (widest = Math.max(widest, step.batchSize)),
    });
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => testJob(id, 50, 20));
    for (const job of jobs) scheduler.submit(job);
    clock.advanceTo(100);
    expect(scheduler.snapshot()).toMatchObject({ running: 2, waiting: 3, maxBatch: 2 });
    clock.runUntilIdle();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(widest).toBe(2);
    expect(jobs.every((j) => j.outcome === 'finished' && j.tokens.length === 20)).toBe(true);
  });

  it('lets a job submitted when another finishes start in the very next step', () => {
    const queue: number[] = [];
    const { clock, scheduler } = setup(steady, { onAdmitted: (_job, queueMs) => queue.push(queueMs) });
    let left = 3;
    const next = (): void => {
      if (left-- === 0) return;
      scheduler.submit(testJob(`job-${left}`, 10, 4, { onDone: () => next() }));
    };
    next();
    clock.runUntilIdle();
    expect(queue).toEqual([0, 0, 0]);
  });

  it('keeps a step no shorter than half its cost however the jitter falls', () => {
    const profile = withOverrides(PROFILES.ollama, { jitter: 0.9 });
    const ratios: number[] = [];
    const { clock, scheduler } = setup(profile, {
      onStep(step) {
        const cost =
          profile.decodeStepBaseMs + profile.decodeStepPerSeqMs * step.decodeTokens + profile.prefillMsPerToken * step.prefillTokens;
        ratios.push(step.durationMs / cost);
      },
    });
    for (let i = 0; i < 4; i += 1) scheduler.submit(testJob(`j${i}`, 20, 500));
    clock.runUntilIdle();
    expect(ratios.length).toBeGreaterThan(400);
    expect(Math.min(...ratios)).toBe(0.5);
    expect(Math.max(...ratios)).toBeGreaterThan(2);
  });

  it('rejects jobs it cannot run and ids already in the engine', () => {
    const { scheduler } = setup(steady);
    expect(() => scheduler.submit(testJob('x', 10, 0))).toThrow(RangeError);
    expect(() => scheduler.submit(testJob('x', -1, 5))).toThrow(/promptTokens/);
    scheduler.submit(testJob('x', 10, 5));
    expect(() => scheduler.submit(testJob('x', 10, 5))).toThrow(/already/);
  });
});

describe('KV cache budget', () => {
  it('limits how many long sequences run at once', () => {
    // 12 jobs reserving 4000 tokens each: a 20k-token cache holds five of them.
    const run = (kvCapacityTokens: number) => {
      let widest = 0;
      let kvPeak = 0;
      const profile = withOverrides(steady, { kvCapacityTokens });
      const { clock, scheduler } = setup(profile, {
        onStep(step) {
          widest = Math.max(widest, step.batchSize);
          kvPeak = Math.max(kvPeak, scheduler.snapshot().kvUsedTokens);
        },
      });
      const jobs = Array.from({ length: 12 }, (_, i) => testJob(`long-${i}`, 3000, 1000));
      for (const job of jobs) scheduler.submit(job);
      clock.runUntilIdle();
      expect(jobs.every((j) => j.outcome === 'finished')).toBe(true);
      return { widest, kvPeak, makespan: Math.max(...jobs.map((j) => j.doneAt!)) };
    };
    const tight = run(20_000);
    const roomy = run(PROFILES.vllm.kvCapacityTokens);
    expect(tight.widest).toBe(5);
    expect(tight.kvPeak).toBeLessThanOrEqual(20_000);
    expect(roomy.widest).toBe(12);
    // Fewer sequences per step: the same work takes much longer.
    expect(tight.makespan).toBeGreaterThan(2 * roomy.makespan);
  });

  it('runs a job larger than the whole cache alone instead of never, and holds later jobs behind it', () => {
    const admittedAt = new Map<string, number>();
    const profile = withOverrides(steady, { kvCapacityTokens: 1000 });
    const { clock, scheduler } = setup(profile, { onAdmitted: (job, _q, at) => admittedAt.set(job.id, at) });
    const huge = testJob('huge', 2500, 50);
    const small = testJob('small', 10, 5);
    scheduler.submit(huge);
    scheduler.submit(small);
    clock.advanceTo(50);
    expect(scheduler.snapshot()).toMatchObject({ running: 1, waiting: 1, kvUsedTokens: 2550 });
    clock.runUntilIdle();
    expect(huge.outcome).toBe('finished');
    expect(small.outcome).toBe('finished');
    expect(admittedAt.get('small')).toBe(huge.doneAt);
    expect(scheduler.snapshot().kvUsedTokens).toBe(0);
  });
});

describe('chunked prefill', () => {
  /** Four jobs decoding, then one long prompt at 1 s: the gaps between the first job's tokens. */
  function gapsAroundLongPrompt(prefillChunkTokens: number) {
    const profile = withOverrides(steady, { prefillChunkTokens });
    const { clock, scheduler } = setup(profile);
    const running = Array.from({ length: 4 }, (_, i) => testJob(`r${i}`, 100, 400));
    for (const job of running) scheduler.submit(job);
    const long = testJob('long', 16_384, 10);
    submitAt(clock, scheduler, 1000, long);
    clock.runUntilIdle();
    const tokens = running[0]!.tokens;
    const gaps = tokens.slice(1).map((at, i) => at - tokens[i]!);
    const baseline = gaps[5]!; // a plain decode step before the long prompt arrived
    return { gaps, baseline, stalls: gaps.filter((g) => g > 2 * baseline), long };
  }

  it('delays the tokens of running jobs while a very long prompt is prefilled, one chunk per step', () => {
    const { baseline, stalls, long } = gapsAroundLongPrompt(2048);
    expect(baseline).toBeCloseTo(12 + 0.12 * 4, 9);
    // 16 384 prompt tokens in 2048-token chunks: eight stretched steps, each far longer than a decode step.
    expect(stalls).toHaveLength(8);
    for (const stall of stalls) expect(stall).toBeGreaterThan(10 * baseline);
    expect(long.outcome).toBe('finished');
  });

  it('spreads the same prefill over more, shorter stalls when chunks are smaller', () => {
    const big = gapsAroundLongPrompt(2048);
    const small = gapsAroundLongPrompt(512);
    expect(small.stalls).toHaveLength(32);
    expect(Math.max(...small.stalls)).toBeLessThan(Math.max(...big.stalls) / 2);
    // The prompt costs about the same in total; smaller chunks add more step overheads.
    const extra = (stalls: number[], baseline: number) => stalls.reduce((a, g) => a + g - baseline, 0);
    expect(extra(small.stalls, small.baseline)).toBeGreaterThan(extra(big.stalls, big.baseline));
    expect(extra(small.stalls, small.baseline)).toBeLessThan(1.5 * extra(big.stalls, big.baseline));
  });
});

describe('cancellation', () => {
  it('frees the batch slot and KV of a running job for the next waiting one', () => {
    const cancelled: string[] = [];
    const admittedAt = new Map<string, number>();
    const profile = withOverrides(PROFILES.llamacpp, { maxBatch: 1, jitter: 0 });
    const { clock, scheduler } = setup(profile, {
      onCancelled: (job) => cancelled.push(job.id),
      onAdmitted: (job, _q, at) => admittedAt.set(job.id, at),
    });
    const a = testJob('a', 100, 1000);
    const b = testJob('b', 100, 10);
    scheduler.submit(a);
    scheduler.submit(b);
    clock.advanceTo(500);
    expect(scheduler.snapshot()).toMatchObject({ running: 1, waiting: 1, kvUsedTokens: 1100 });
    const tokensBefore = a.tokens.length;
    scheduler.cancel('a');
    expect(a.outcome).toBe('cancelled');
    expect(a.doneAt).toBe(500);
    expect(cancelled).toEqual(['a']);
    expect(scheduler.snapshot()).toMatchObject({ running: 0, waiting: 1, kvUsedTokens: 0 });
    clock.runUntilIdle();
    // b starts when the step in flight ends, not after a's 1000 tokens.
    expect(admittedAt.get('b')!).toBeGreaterThan(500);
    expect(admittedAt.get('b')!).toBeLessThan(500 + 2 * (18 + 3));
    expect(b.outcome).toBe('finished');
    expect(a.tokens).toHaveLength(tokensBefore);
    expect(a.doneCalls).toBe(1);
  });

  it('drops a waiting job without a token and ignores unknown or repeated ids', () => {
    const profile = withOverrides(steady, { maxBatch: 1 });
    const { clock, scheduler } = setup(profile);
    const a = testJob('a', 10, 20);
    const b = testJob('b', 10, 20);
    scheduler.submit(a);
    scheduler.submit(b);
    clock.advanceTo(30);
    scheduler.cancel('b');
    scheduler.cancel('b');
    scheduler.cancel('nobody');
    clock.runUntilIdle();
    expect(b).toMatchObject({ outcome: 'cancelled', doneAt: 30, doneCalls: 1, tokens: [] });
    expect(a).toMatchObject({ outcome: 'finished', doneCalls: 1 });
  });

  it('lets a token callback cancel its own job', () => {
    const { clock, scheduler } = setup(steady);
    const job: TestJob = testJob('self', 10, 100, { onToken: (index) => index === 3 && scheduler.cancel('self') });
    const other = testJob('other', 10, 10);
    scheduler.submit(job);
    scheduler.submit(other);
    clock.runUntilIdle();
    expect(job.tokens).toHaveLength(4);
    expect(job).toMatchObject({ outcome: 'cancelled', doneCalls: 1 });
    expect(other.outcome).toBe('finished');
  });
});

describe('determinism', () => {
  function tokenTimes(seed: number): number[][] {
    const { clock, scheduler } = setup(PROFILES.vllm, {}, seed);
    const jobs = Array.from({ length: 20 }, (_, i) => testJob(`j${i}`, 100 + 37 * i, 30 + 11 * i));
    jobs.forEach((job, i) => submitAt(clock, scheduler, i * 45, job));
    clock.runUntilIdle();
    return jobs.map((j) => j.tokens);
  }

  it('gives identical token times for the same seed and submissions, different ones for another seed', () => {
    const first = tokenTimes(42);
    expect(tokenTimes(42)).toEqual(first);
    expect(tokenTimes(43)).not.toEqual(first);
    expect(first.flat()).toHaveLength(20 * 30 + 11 * 190);
  });
});

describe('loop lifecycle', () => {
  it('leaves no timer behind once idle, and wakes again for new work', () => {
    const { clock, scheduler } = setup(steady);
    expect(clock.pendingTimers()).toBe(0);
    scheduler.submit(testJob('a', 10, 5));
    expect(clock.pendingTimers()).toBe(1);
    clock.runUntilIdle();
    expect(clock.pendingTimers()).toBe(0);
    expect(scheduler.snapshot()).toMatchObject({ running: 0, waiting: 0, kvUsedTokens: 0 });
    clock.advanceTo(10_000);
    const late = testJob('late', 10, 5);
    scheduler.submit(late);
    clock.runUntilIdle();
    expect(late.tokens[0]).toBeCloseTo(10_000 + 12 + 0.8, 9);
  });

  it('drops its pending timer when the last job is cancelled', () => {
    const { clock, scheduler } = setup(steady);
    scheduler.submit(testJob('a', 10, 5));
    scheduler.cancel('a');
    expect(clock.pendingTimers()).toBe(0);
    scheduler.submit(testJob('b', 10, 500));
    clock.advanceTo(100);
    scheduler.cancel('b');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('cancels everything on close and accepts nothing after', () => {
    const { clock, scheduler } = setup(withOverrides(steady, { maxBatch: 1 }));
    const jobs = ['a', 'b', 'c'].map((id) => testJob(id, 10, 100));
    for (const job of jobs) scheduler.submit(job);
    clock.advanceTo(200);
    scheduler.close();
    scheduler.close();
    expect(clock.pendingTimers()).toBe(0);
    expect(jobs.map((j) => [j.outcome, j.doneAt, j.doneCalls])).toEqual([
      ['cancelled', 200, 1],
      ['cancelled', 200, 1],
      ['cancelled', 200, 1],
    ]);
    expect(() => scheduler.submit(testJob('d', 10, 10))).toThrow(/closed/);
    expect(scheduler.snapshot()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('runs one loop however callbacks submit, cancel or close', () => {
    let maxTimers = 0;
    const clock = virtualClock();
    const scheduler = createScheduler(steady, {
      clock,
      rng: createRng(1),
      observer: {
        onAdmitted: (job) => job.id === 'a' && scheduler.submit(testJob('from-admission', 10, 5)),
        onStep: () => (maxTimers = Math.max(maxTimers, clock.pendingTimers())),
      },
    });
    const a = testJob('a', 10, 5, { onToken: (index) => index === 1 && scheduler.submit(testJob('from-token', 10, 5)) });
    scheduler.submit(a);
    clock.runUntilIdle();
    // A second loop would leave a timer pending while a step ends, and interleave shorter gaps.
    expect(maxTimers).toBe(0);
    expect(Math.min(...a.tokens.slice(1).map((at, i) => at - a.tokens[i]!))).toBeGreaterThanOrEqual(12);
    expect(a.outcome).toBe('finished');

    const closing = createScheduler(steady, { clock, rng: createRng(1) });
    const b = testJob('b', 10, 50, { onToken: (index) => index === 2 && closing.close() });
    closing.submit(b);
    clock.runUntilIdle();
    expect(b).toMatchObject({ outcome: 'cancelled', doneCalls: 1 });
    expect(b.tokens).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps running for everyone when one callback throws, and reports the error', () => {
    const { clock, scheduler } = setup(steady);
    const faulty = testJob('faulty', 10, 10, {
      onToken: (index) => {
        if (index === 2) throw new Error('boom');
      },
    });
    const other = testJob('other', 10, 10);
    scheduler.submit(faulty);
    scheduler.submit(other);
    expect(() => clock.runUntilIdle()).toThrow('boom');
    clock.runUntilIdle();
    expect(faulty.tokens).toHaveLength(10);
    expect(other.tokens).toEqual(faulty.tokens);
    expect([faulty.outcome, other.outcome]).toEqual(['finished', 'finished']);
  });
});

describe('timing on a real event loop', () => {
  it('yields between zero-cost steps', async () => {
    const scheduler = createScheduler(PROFILES.instant, { clock: realClock(), rng: createRng(1) });
    let seen = 0;
    const done = new Promise<void>((resolve) => {
      scheduler.submit({ id: 'a', promptTokens: 10, outputTokens: 1000, onToken: () => (seen += 1), onDone: () => resolve() });
    });
    expect(seen).toBe(0);
    // Queued after the scheduler's first step: it runs while the job still has most of its tokens to go.
    const midway = await new Promise<number>((resolve) => setImmediate(() => resolve(seen)));
    expect(midway).toBeLessThan(10);
    await done;
    expect(seen).toBe(1000);
  });

  /** A virtual clock whose timers fire `lateMs(n)` late, the n-th timer set counting from 0. */
  function lateClock(lateMs: (n: number) => number): Clock & { base: ReturnType<typeof virtualClock> } {
    const base = virtualClock();
    let n = 0;
    return { base, now: base.now, setTimer: (fn, delayMs) => base.setTimer(fn, Math.max(0, delayMs) + lateMs(n++)) };
  }

  it('does not let timer lateness accumulate over many steps', () => {
    const clock = lateClock(() => 5);
    const scheduler = createScheduler(steady, { clock, rng: createRng(1) });
    const lateness: number[] = [];
    const job = testJob('a', 100, 200, { onToken: (_i, at) => lateness.push(clock.now() - at) });
    scheduler.submit(job);
    clock.base.runUntilIdle();
    // The kick fires 5 ms late, so everything starts at 5; each token is then due on the step grid.
    expect(job.tokens[199]).toBeCloseTo(5 + 12 + 8 + 199 * 12.12, 6);
    expect(Math.max(...lateness)).toBeCloseTo(5, 6);
  });

  it('restarts the step grid after a stall instead of bursting the missed tokens', () => {
    const clock = lateClock((n) => (n === 10 ? 2000 : 0));
    const scheduler = createScheduler(steady, { clock, rng: createRng(1) });
    const job = testJob('a', 100, 40);
    scheduler.submit(job);
    clock.base.runUntilIdle();
    const gaps = job.tokens.slice(1).map((at, i) => at - job.tokens[i]!);
    // One gap holds the stall; every other step keeps its normal length.
    expect(gaps.filter((g) => g > 100)).toHaveLength(1);
    expect(Math.max(...gaps)).toBeGreaterThan(2000);
    expect(gaps.filter((g) => g < 12)).toHaveLength(0);
  });
});
