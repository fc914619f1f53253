// Acceptance criteria for the latency model: the curves a benchmark of a real engine shows, in
// shape (monotone, saturating, where the knee is), not in absolute times.
import { describe, it, expect } from 'vitest';
import { virtualClock } from '../../../../collector/sim/model/clocks.ts';
import { PROFILES } from '../../../../collector/sim/model/profiles.ts';
import { createRng } from '../../../../collector/sim/model/rng.ts';
import { createScheduler } from '../../../../collector/sim/model/scheduler.ts';
import type { LatencyProfile } from '../../../../collector/sim/types.ts';

const USERS = [1, 2, 4, 8, 16, 32, 64, 128];
const WARMUP_MS = 20_000;
const STOP_MS = 120_000;

interface LoadPoint {
  users: number;
  requests: number;
  queueMs: number;
  ttftMs: number;
  /** Tokens per second after the first token, per request. */
  decodeTps: number;
  /** Output tokens per second from the whole engine. */
  throughputTps: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * `users` closed-loop users, each sending its next request when its previous one finished, for
 * two simulated minutes. Requests sent during the first 20 s (warm-up) are not measured.
 */
function closedLoop(profile: LatencyProfile, users: number): LoadPoint {
  const clock = virtualClock();
  const admittedAt = new Map<string, number>();
  const scheduler = createScheduler(profile, {
    clock,
    rng: createRng(1),
    observer: { onAdmitted: (job, _queueMs, at) => admittedAt.set(job.id, at) },
  });
  const lengths = createRng(99);
  const measured: Array<{ submittedAt: number; admittedAt: number; firstAt: number; lastAt: number; outputTokens: number }> = [];
  let tokensInWindow = 0;
  let seq = 0;
  const send = (): void => {
    if (clock.now() >= STOP_MS) return;
    const submittedAt = clock.now();
    const id = `r${seq++}`;
    // Varied lengths keep the users from marching in lock step.
    const promptTokens = 128 + Math.floor(lengths.next() * 256);
    const outputTokens = 192 + Math.floor(lengths.next() * 128);
    let firstAt = Number.NaN;
    scheduler.submit({
      id,
      promptTokens,
      outputTokens,
      onToken(index, at) {
        if (index === 0) firstAt = at;
        if (at >= WARMUP_MS && at < STOP_MS) tokensInWindow += 1;
      },
      onDone(_outcome, lastAt) {
        if (submittedAt >= WARMUP_MS) measured.push({ submittedAt, admittedAt: admittedAt.get(id)!, firstAt, lastAt, outputTokens });
        admittedAt.delete(id);
        send();
      },
    });
  };
  for (let u = 0; u < users; u += 1) send();
  clock.runUntilIdle();
  return {
    users,
    requests: measured.length,
    queueMs: mean(measured.map((r) => r.admittedAt - r.submittedAt)),
    ttftMs: mean(measured.map((r) => r.firstAt - r.submittedAt)),
    decodeTps: mean(measured.map((r) => (r.outputTokens - 1) / ((r.lastAt - r.firstAt) / 1000))),
    throughputTps: tokensInWindow / ((STOP_MS - WARMUP_MS) / 1000),
  };
}

/** Mean TTFT of five requests sent one after another (concurrency 1) with `promptTokens` each. */
function ttftAlone(profile: LatencyProfile, promptTokens: number): number {
  const clock = virtualClock();
  const scheduler = createScheduler(profile, { clock, rng: createRng(5) });
  const ttfts: number[] = [];
  const send = (left: number): void => {
    if (left === 0) return;
    const submittedAt = clock.now();
    scheduler.submit({
      id: `p${left}`,
      promptTokens,
      outputTokens: 16,
      onToken: (index, at) => index === 0 && ttfts.push(at - submittedAt),
      onDone: () => send(left - 1),
    });
  };
  send(5);
  clock.runUntilIdle();
  return mean(ttfts);
}

/** Consecutive pairs of the sweep: each doubling of users. */
const doublings = (points: LoadPoint[]) => points.slice(1).map((to, i) => ({ from: points[i]!, to }));

for (const name of ['vllm', 'ollama'] as const) {
  const profile = PROFILES[name];
  const knee = profile.maxBatch;

  describe(`${name} latency shape`, () => {
    const sweep = USERS.map((users) => closedLoop(profile, users));
    const at = (users: number) => sweep.find((p) => p.users === users)!;
    const below = sweep.filter((p) => p.users <= knee);
    const above = sweep.filter((p) => p.users > knee);

    it('takes longer to the first token as the prompt grows, at concurrency 1', () => {
      const [short, medium, long] = [100, 1000, 4000].map((tokens) => ttftAlone(profile, tokens)) as [number, number, number];
      expect(medium).toBeGreaterThan(2 * short);
      expect(long).toBeGreaterThan(2 * medium);
    });

    it('measures enough requests at every load level', () => {
      for (const point of sweep) expect(point.requests, `${point.users} users`).toBeGreaterThanOrEqual(15);
    });

    it('does not queue while the users fit in the batch', () => {
      for (const point of below) expect(point.queueMs, `${point.users} users`).toBeLessThan(profile.decodeStepBaseMs);
    });

    it(`queues once the users outnumber the ${knee} batch slots, more with every doubling`, () => {
      expect(above.length).toBeGreaterThan(0);
      expect(above[0]!.ttftMs).toBeGreaterThan(5 * at(knee).ttftMs);
      expect(above[0]!.queueMs).toBeGreaterThan(0.5 * above[0]!.ttftMs);
      for (const { from, to } of doublings(above)) {
        expect(to.queueMs, `${from.users} → ${to.users} users`).toBeGreaterThan(1.5 * from.queueMs);
        expect(to.ttftMs, `${from.users} → ${to.users} users`).toBeGreaterThan(1.5 * from.ttftMs);
      }
    });

    it('slows each request down gently as the batch fills, without a cliff', () => {
      for (const { from, to } of doublings(below)) {
        const ratio = to.decodeTps / from.decodeTps;
        expect(ratio, `${from.users} → ${to.users} users`).toBeLessThanOrEqual(1.02);
        expect(ratio, `${from.users} → ${to.users} users`).toBeGreaterThan(0.7);
      }
      // Past the knee the batch stays full: waiting requests pay, running ones do not slow further.
      for (const point of above) expect(point.decodeTps / at(knee).decodeTps).toBeGreaterThan(0.9);
    });

    it('raises total throughput with users, then saturates', () => {
      const steps = doublings(sweep);
      const firstGain = steps[0]!.to.throughputTps / steps[0]!.from.throughputTps - 1;
      expect(firstGain).toBeGreaterThan(0.6);
      for (const { from, to } of steps) {
        expect(to.throughputTps, `${from.users} → ${to.users} users`).toBeGreaterThan(0.97 * from.throughputTps);
      }
      for (const { from, to } of steps.filter((s) => s.from.users >= knee)) {
        const gain = to.throughputTps / from.throughputTps - 1;
        expect(gain, `${from.users} → ${to.users} users`).toBeLessThan(0.1 * firstGain);
      }
      // The plateau is the full batch's rate.
      expect(at(128).throughputTps / at(knee).throughputTps).toBeGreaterThan(0.95);
      expect(at(128).throughputTps / at(knee).throughputTps).toBeLessThan(1.05);
    });
  });
}

describe('engine characters compared', () => {
  it('queues ollama at a load vLLM absorbs', () => {
    const ratio = (profile: LatencyProfile) => closedLoop(profile, 16).ttftMs / closedLoop(profile, 1).ttftMs;
    expect(ratio(PROFILES.ollama)).toBeGreaterThan(20);
    expect(ratio(PROFILES.vllm)).toBeLessThan(2);
  });

  it('prefills a long prompt several times faster on vLLM than on ollama', () => {
    expect(ttftAlone(PROFILES.ollama, 4000)).toBeGreaterThan(2 * ttftAlone(PROFILES.vllm, 4000));
  });
});
