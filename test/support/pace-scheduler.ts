// A trivial Scheduler for protocol tests that need exact, chosen timing: every job runs alone,
// its first token `firstTokenMs` after submission and one more every `intervalMs`, on whatever
// clock it is given (a virtual clock makes it fully deterministic). No batching, no queue.
import type { Clock, Scheduler, SimJob } from '../../collector/sim/types.ts';

export interface PaceOptions {
  clock: Clock;
  firstTokenMs: number;
  intervalMs: number;
}

export function createPaceScheduler({ clock, firstTokenMs, intervalMs }: PaceOptions): Scheduler {
  const running = new Map<string, { job: SimJob; timer: { cancel(): void } }>();

  function step(job: SimJob, index: number, delayMs: number): void {
    const timer = clock.setTimer(() => {
      const at = clock.now();
      job.onToken(index, at);
      if (!running.has(job.id)) return; // cancelled from inside onToken
      if (index + 1 >= job.outputTokens) {
        running.delete(job.id);
        job.onDone('finished', at);
      } else {
        step(job, index + 1, intervalMs);
      }
    }, delayMs);
    running.set(job.id, { job, timer });
  }

  function drop(id: string): void {
    const entry = running.get(id);
    if (!entry) return;
    running.delete(id);
    entry.timer.cancel();
    entry.job.onDone('cancelled', clock.now());
  }

  return {
    submit: (job) => step(job, 0, firstTokenMs),
    cancel: drop,
    snapshot: () => ({ running: running.size, waiting: 0, kvUsedTokens: 0, kvCapacityTokens: Number.MAX_SAFE_INTEGER, maxBatch: Number.MAX_SAFE_INTEGER }),
    close: () => {
      for (const id of [...running.keys()]) drop(id);
    },
  };
}
