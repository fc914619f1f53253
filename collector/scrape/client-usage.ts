// The collector's own CPU, memory and event-loop lag while a phase runs: if the client was the
// bottleneck, its timestamps are late and the engine looks slower than it is.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { summarize } from '../metrics/distribution.ts';
import { round3 } from '../metrics/precision.ts';
import type { ClientUsage } from '../store/schema/index.ts';

export interface ClientSampler {
  /** Takes a last sample and stops; call once. */
  stop(): ClientUsage;
}

const LOOP_DELAY_RESOLUTION_MS = 1;

export function startClientSampler(options: { intervalMs: number }): ClientSampler {
  const { intervalMs } = options;
  if (!(intervalMs > 0)) throw new RangeError(`sample interval must be positive, got ${intervalMs}`);
  // Node's histogram records the whole time between two turns of a timer that is due every
  // RESOLUTION_MS, so an idle loop reads the resolution itself; the lag is what is left over. A 1 ms
  // resolution keeps the figure within about 1 ms of the truth, for a wake-up a millisecond that
  // runs no JavaScript.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();

  const cpuPercent: number[] = [];
  let rssMaxBytes = 0;
  let lastCpu: NodeJS.CpuUsage | null = null;
  let lastAt = performance.now();

  // Reading RSS opens /proc/self/stat, which throws EMFILE when the load used every file
  // descriptor: a sample that cannot be taken is skipped, never thrown out of a timer.
  function readRss(): void {
    try {
      rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage.rss());
    } catch {
      /* skipped: the next sample tries again */
    }
  }

  function readCpu(): NodeJS.CpuUsage | null {
    try {
      return process.cpuUsage();
    } catch {
      return null;
    }
  }

  function sample(final: boolean): void {
    const at = performance.now();
    const elapsedMs = at - lastAt;
    readRss();
    // A short last stretch would give a noisy percentage: keep it only if it is half an interval.
    if (final && elapsedMs < intervalMs / 2) return;
    if (elapsedMs <= 0) return;
    const cpu = readCpu();
    if (cpu === null) return;
    if (lastCpu !== null) {
      const usedUs = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
      // µs of CPU over ms of wall time: percent of one core (can pass 100 with worker threads).
      cpuPercent.push((usedUs / 1000 / elapsedMs) * 100);
    }
    lastCpu = cpu;
    lastAt = at;
  }

  readRss();
  lastCpu = readCpu();
  const timer = setInterval(() => {
    try {
      sample(false);
    } catch {
      /* a timer must never throw: the process would die mid-run */
    }
  }, intervalMs);
  timer.unref();

  return {
    stop() {
      clearInterval(timer);
      try {
        sample(true);
      } catch {
        /* as in the timer */
      }
      loopDelay.disable();
      // The histogram is in ns; with no sample taken its percentiles are meaningless.
      const p99 = loopDelay.count > 0 ? round3(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS)) : null;
      return { cpuPercent: summarize(cpuPercent), rssMaxBytes, eventLoopLagP99Ms: p99 };
    },
  };
}
