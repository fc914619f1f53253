// The simulated engine loop: continuous batching with FIFO admission, a KV-cache token budget and
// chunked prefill. Time advances one engine step at a time; every token of a step is emitted at the
// step's end, as a real engine returns a step's sampled tokens together.
import { gaussian } from './rng.ts';
import type { Clock, JobTimings, LatencyProfile, Rng, Scheduler, SchedulerObserver, SchedulerSnapshot, SimJob } from '../types.ts';

export interface SchedulerOptions {
  clock: Clock;
  rng: Rng;
  observer?: SchedulerObserver;
}

// When a real-time timer fires this late (process suspended, long GC), restart the step schedule
// from now instead of replaying the missed steps as one burst of tokens.
const MAX_CATCH_UP_MS = 250;

// A step never runs faster than half its modelled cost, however the jitter draw falls.
const MIN_JITTER_FACTOR = 0.5;

interface Entry {
  job: SimJob;
  phase: 'waiting' | 'prefill' | 'decode' | 'gone';
  submittedAt: number;
  admittedAt: number;
  firstTokenAt: number;
  prefillLeft: number;
  /** Index of the next token to emit. */
  nextToken: number;
  /** KV tokens reserved while running: prompt + planned output. */
  kvTokens: number;
}

interface StepPlan {
  start: number;
  end: number;
  durationMs: number;
  batchSize: number;
  prefillTokens: number;
  decodeTokens: number;
  /** Entries that emit a token at the end of the step, in admission order; `first` marks prefill completions. */
  emitters: Array<{ entry: Entry; first: boolean }>;
}

export function createScheduler(profile: LatencyProfile, options: SchedulerOptions): Scheduler {
  const { clock, rng } = options;
  const observer: SchedulerObserver = options.observer ?? {};

  // Insertion-ordered maps: FIFO iteration with O(1) removal on cancel.
  const waiting = new Map<string, Entry>();
  const running = new Map<string, Entry>();
  let kvUsed = 0;
  /** The one pending timer: a kick (work arrived while idle) or the end of the step in flight. */
  let pending: { cancel(): void } | null = null;
  /** True while the loop ends a step and begins the next: work submitted by callbacks then joins that next step. */
  let inLoop = false;
  let closed = false;

  // A throwing callback must not leave the engine half-updated or stop the loop for everyone else:
  // the error is kept and rethrown once the scheduler is consistent again.
  let callbackError: { error: unknown } | null = null;
  function safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      callbackError ??= { error };
    }
  }
  function rethrowCallbackError(): void {
    if (callbackError === null) return;
    const { error } = callbackError;
    callbackError = null;
    throw error;
  }

  function wake(): void {
    if (pending !== null || inLoop || closed) return;
    pending = clock.setTimer(() => {
      pending = null;
      inLoop = true;
      try {
        beginStep(clock.now());
      } finally {
        inLoop = false;
      }
      rethrowCallbackError();
    }, 0);
  }

  function admit(start: number): void {
    for (const entry of waiting.values()) {
      if (running.size >= profile.maxBatch) break;
      // Only work that had arrived when the step began (matters when a real timer fired late).
      if (entry.submittedAt > start) break;
      // Strict FIFO: a head that does not fit blocks the queue, except on an empty engine, so a
      // job larger than the whole cache still runs (alone) instead of waiting forever.
      if (running.size > 0 && kvUsed + entry.kvTokens > profile.kvCapacityTokens) break;
      waiting.delete(entry.job.id);
      running.set(entry.job.id, entry);
      entry.phase = 'prefill';
      entry.admittedAt = start;
      kvUsed += entry.kvTokens;
      safely(() => observer.onAdmitted?.(entry.job, start - entry.submittedAt, start));
    }
  }

  function planStep(start: number): StepPlan | null {
    const emitters: StepPlan['emitters'] = [];
    let budget = profile.prefillChunkTokens;
    let prefillTokens = 0;
    let decodeTokens = 0;
    for (const entry of running.values()) {
      if (entry.phase === 'decode') {
        decodeTokens += 1;
        emitters.push({ entry, first: false });
        continue;
      }
      // Prefill in admission order, at most one chunk's worth of prompt tokens per step.
      if (entry.prefillLeft > 0 && budget === 0) continue;
      const take = Math.min(entry.prefillLeft, budget);
      entry.prefillLeft -= take;
      budget -= take;
      prefillTokens += take;
      if (entry.prefillLeft === 0) emitters.push({ entry, first: true });
    }
    if (emitters.length === 0 && prefillTokens === 0) return null;
    const cost =
      profile.decodeStepBaseMs + profile.decodeStepPerSeqMs * decodeTokens + profile.prefillMsPerToken * prefillTokens;
    const factor = profile.jitter > 0 ? Math.max(MIN_JITTER_FACTOR, 1 + profile.jitter * gaussian(rng)) : 1;
    const durationMs = cost * factor;
    return { start, end: start + durationMs, durationMs, batchSize: running.size, prefillTokens, decodeTokens, emitters };
  }

  function beginStep(start: number): void {
    admit(start);
    let plan = planStep(start);
    if (plan === null && waiting.size > 0) {
      // Everything waiting arrived after `start` (a late real-time timer): begin from now instead.
      const now = clock.now();
      admit(now);
      plan = planStep(now);
    }
    if (plan === null || closed) return; // idle (or closed by a callback): no timer left behind
    const step = plan;
    // Absolute end time: a late timer shortens the next wait instead of shifting every later step.
    pending = clock.setTimer(() => endStep(step), step.end - clock.now());
  }

  function endStep(plan: StepPlan): void {
    pending = null;
    inLoop = true;
    try {
      const { batchSize, prefillTokens, decodeTokens, durationMs, end } = plan;
      safely(() => observer.onStep?.({ batchSize, prefillTokens, decodeTokens, durationMs, at: end }));
      for (const { entry, first } of plan.emitters) {
        // A callback earlier in this loop may have cancelled it.
        if (entry.phase !== (first ? 'prefill' : 'decode')) continue;
        if (first) {
          entry.phase = 'decode';
          entry.firstTokenAt = end;
        }
        emitToken(entry, end);
      }
      if (!closed) {
        const now = clock.now();
        beginStep(now - end > MAX_CATCH_UP_MS ? now : end);
      }
    } finally {
      inLoop = false;
    }
    rethrowCallbackError();
  }

  function emitToken(entry: Entry, at: number): void {
    const index = entry.nextToken;
    entry.nextToken += 1;
    safely(() => observer.onToken?.(entry.job, index, at));
    safely(() => entry.job.onToken(index, at));
    if (entry.phase === 'decode' && entry.nextToken >= entry.job.outputTokens) finish(entry, at);
  }

  function release(entry: Entry): void {
    if (entry.phase === 'waiting') {
      waiting.delete(entry.job.id);
    } else {
      running.delete(entry.job.id);
      kvUsed -= entry.kvTokens;
    }
    entry.phase = 'gone';
  }

  function finish(entry: Entry, at: number): void {
    release(entry);
    const timings: JobTimings = {
      queueMs: entry.admittedAt - entry.submittedAt,
      prefillMs: entry.firstTokenAt - entry.admittedAt,
      decodeMs: at - entry.firstTokenAt,
      e2eMs: at - entry.submittedAt,
    };
    safely(() => observer.onFinished?.(entry.job, timings, at));
    safely(() => entry.job.onDone('finished', at));
  }

  function drop(entry: Entry, at: number): void {
    release(entry);
    safely(() => observer.onCancelled?.(entry.job, at));
    safely(() => entry.job.onDone('cancelled', at));
  }

  return {
    submit(job) {
      if (closed) throw new Error(`scheduler for "${profile.name}" is closed; job ${job.id} not accepted`);
      if (waiting.has(job.id) || running.has(job.id)) throw new Error(`job id ${job.id} is already in the engine`);
      if (!Number.isSafeInteger(job.promptTokens) || job.promptTokens < 0) {
        throw new RangeError(`job ${job.id}: promptTokens must be a whole number ≥ 0 (got ${job.promptTokens})`);
      }
      if (!Number.isSafeInteger(job.outputTokens) || job.outputTokens < 1) {
        throw new RangeError(`job ${job.id}: outputTokens must be a whole number ≥ 1 (got ${job.outputTokens})`);
      }
      const now = clock.now();
      waiting.set(job.id, {
        job,
        phase: 'waiting',
        submittedAt: now,
        admittedAt: Number.NaN,
        firstTokenAt: Number.NaN,
        prefillLeft: job.promptTokens,
        nextToken: 0,
        kvTokens: job.promptTokens + job.outputTokens,
      });
      safely(() => observer.onQueued?.(job, now));
      wake();
      rethrowCallbackError();
    },

    cancel(id) {
      const entry = waiting.get(id) ?? running.get(id);
      if (entry === undefined) return;
      drop(entry, clock.now());
      // Nothing left to run: drop the pending kick or step so an idle engine holds no timer.
      if (running.size === 0 && waiting.size === 0 && pending !== null) {
        pending.cancel();
        pending = null;
      }
      rethrowCallbackError();
    },

    snapshot(): SchedulerSnapshot {
      return {
        running: running.size,
        waiting: waiting.size,
        kvUsedTokens: kvUsed,
        kvCapacityTokens: profile.kvCapacityTokens,
        maxBatch: profile.maxBatch,
      };
    },

    close() {
      if (closed) return;
      closed = true;
      pending?.cancel();
      pending = null;
      // Every job still gets its one onDone, so servers can end their responses.
      const at = clock.now();
      for (const entry of [...waiting.values(), ...running.values()]) drop(entry, at);
      rethrowCallbackError();
    },
  };
}
