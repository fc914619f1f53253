// Memory and file descriptors over a long run: the collector holding `streams` answers in flight
// against a fast simulator in its own process, with the simulator's faults on, so the failure
// paths (cut, stalled, malformed, refused, reset streams) are exercised as long as the happy one.
// RSS, heap, external memory and open descriptors are sampled throughout; flat means the slope
// over the second half is near zero. At the end every scheduled arrival must be accounted for:
// ok + failed + dropped = scheduled.
//
// What RSS growth means here: over the first minutes V8 sizes its heap to the allocation rate:
// the young generation grows to its maximum (two 64 MB semi-spaces on a machine with this much
// memory) and the old generation's limit rises to a few times the ~30 MB that survives a major
// GC; pages V8 frees when the heap shrinks stay resident for reuse, and the main malloc arena
// settles after about two minutes. So RSS rises for a few minutes and then levels off while the
// heap after each major GC stays flat; a leak shows as that heap rising. The samples say which:
// heap committed (and its young part) against RSS, and the heap after every major GC.
import { readdirSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { startSimProcess } from '../../collector/sim/child.ts';
import { expectedRequests } from '../../collector/load/registry.ts';
import type { LoadSpec, PhasePlan } from '../../collector/load/types.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { collectOnce } from './collect-once.ts';

export interface SoakOptions {
  seconds: number;
  /** Answers in flight: the open loop's in-flight cap, which its arrival rate keeps full. */
  streams: number;
  /** Simulator `--fault NAME=VALUE` settings; empty for a fault-free soak. */
  faults: string[];
}

/** The simulator's faults during a soak: each failure path about once in 100 requests. */
export const SOAK_FAULTS = ['cut=0.02', 'stall=0.01', 'stallS=3', 'malformed=0.01', 'errorEvent=0.01', 'http500=0.01', 'reset=0.01', 'slowHeaders=0.01', 'slowHeadersMs=6000'];

export interface SoakSample {
  atS: number;
  rssMb: number;
  /** V8 heap in use and committed. */
  heapMb: number;
  heapTotalMb: number;
  /** V8's young generation as committed (both semi-spaces): part of heapTotal, sized up by V8 under allocation. */
  youngMb: number;
  /** Memory held by V8 objects outside its heap (Buffers, ArrayBuffers, …); arrayBuffers is part of it. */
  externalMb: number;
  arrayBuffersMb: number;
  fds: number;
}

export interface SoakResult {
  /** When the load ended, s after sampling started: samples after it cover the summary's read-back. */
  seconds: number;
  streams: number;
  faults: string[];
  /** Open-loop arrival rate: twice what the calibration completed, so the in-flight cap stays full. */
  ratePerS: number;
  samples: SoakSample[];
  /** Heap in use just after each major GC, when there were any. */
  heapAfterGc: { atS: number; heapMb: number }[];
  /** GC pauses during the load: scavenges (minor) and mark-compacts (major); a pause delays every chunk stamp behind it. */
  gc: { minor: GcPauses; major: GcPauses };
  /** Least-squares slope over the second half of the heap after major GCs (or the heap floor per window), MB/min. */
  heapSlopeMbPerMin: number;
  rssSlopeMbPerMin: number;
  /** The same over the last quarter: smaller than over the half when RSS is levelling off. */
  rssSlopeLastQuarterMbPerMin: number;
  /** Highest RSS while the load ran (not while the summary was read back from disk after it). */
  rssPeakMb: number;
  fdMin: number;
  fdMax: number;
  /** From run.json's phase totals. */
  requests: { scheduled: number; ok: number; failed: number; dropped: number; total: number; warmup: number };
  /** Records found in the raw file for the phase, counted independently of the summary. */
  recordsOnDisk: number;
  errorsByKind: Record<string, number>;
  /** ok + failed + dropped = scheduled, and every request sent is on disk. */
  accounted: boolean;
}

export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export async function soak(tmp: string, options: SoakOptions): Promise<SoakResult> {
  const { seconds, streams, faults } = options;
  const sim = await startSimProcess(
    [
      '--engine', 'vllm:0', '--seed', '1',
      // A batch as wide as the soak, so every stream is being answered rather than queued.
      '--set', `maxBatch=${streams}`, '--set', 'decodeStepBaseMs=2', '--set', 'decodeStepPerSeqMs=0.02',
      ...faults.flatMap((f) => ['--fault', f]),
    ],
    'inherit',
  );
  const engine = sim.engines[0]!;
  const config = (name: string, load: LoadSpec, durationS: number) => ({
    name,
    maxTokens: 64,
    // Short enough for the stall and slow-header faults to end as timeouts rather than wait.
    timeouts: { ttftS: 5, idleS: 1, totalS: 60 },
    engines: [{ kind: 'vllm', url: engine.url, model: engine.model, label: 'vllm' }],
    phases: [{ name, load, durationS }],
  });
  try {
    // Calibrate: the completion rate of `streams` closed-loop users on this machine.
    const calibrationS = Math.min(20, Math.max(5, Math.round(seconds / 10)));
    const calibration = await collectOnce(config('calibration', { shape: 'closed-loop', concurrency: streams }, calibrationS), tmp);
    const measured = calibration.run.engines[0]!.phases[0]!;
    // Twice the closed loop's completion rate: a simulator bound by its own CPU is faster with fewer
    // streams, so a rate just above it would settle at a low occupancy; this keeps the cap full, and
    // the arrivals beyond it are counted as dropped (which the accounting below must include).
    const ratePerS = Math.max(1, Math.round((2 * measured.requests.total) / Math.max(measured.window.durationS, 1e-3)));
    const load: LoadSpec = { shape: 'constant-rate', rate: ratePerS, maxInFlight: streams };
    const plan: PhasePlan = { name: 'soak', load, bounds: { durationS: seconds } };

    const samples: SoakSample[] = [];
    const heapAfterGc: SoakResult['heapAfterGc'] = [];
    const start = performance.now();
    const atS = () => (performance.now() - start) / 1000;
    const take = () => {
      const m = process.memoryUsage();
      samples.push({
        atS: atS(),
        rssMb: m.rss / 2 ** 20,
        heapMb: m.heapUsed / 2 ** 20,
        heapTotalMb: m.heapTotal / 2 ** 20,
        youngMb: (getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? Number.NaN) / 2 ** 20,
        externalMb: m.external / 2 ** 20,
        arrayBuffersMb: m.arrayBuffers / 2 ** 20,
        fds: openFds(),
      });
    };
    const gc = { minor: { count: 0, totalMs: 0, maxMs: 0 }, major: { count: 0, totalMs: 0, maxMs: 0 } };
    // The observer runs shortly after each GC: heap in use then is close to what survived it.
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
        const pauses = kind === constants.NODE_PERFORMANCE_GC_MAJOR ? gc.major : kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : null;
        // Pauses while the load runs, not while its records are read back for the summary.
        if (pauses && atS() <= seconds) {
          pauses.count += 1;
          pauses.totalMs += entry.duration;
          pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
        }
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) heapAfterGc.push({ atS: atS(), heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    take();
    const timer = setInterval(take, Math.max(1000, (seconds * 1000) / 120));
    let result;
    try {
      result = await collectOnce(config('soak', load, seconds), tmp);
    } finally {
      clearInterval(timer);
      gcObserver.disconnect();
    }
    take();
    const phase = result.run.engines[0]!.phases[0]!;
    let recordsOnDisk = 0;
    for await (const record of readRequests(result.dir)) if (record.phase === 'soak') recordsOnDisk += 1;
    const scheduled = expectedRequests(plan) ?? Number.NaN;
    const { ok, failed, dropped, total, warmup } = phase.requests;

    // Slopes over the second half of the load itself. Arrivals stop `seconds` after the phase
    // starts (a little after `start`); then the phase summary is read back from disk, which holds
    // every request's numbers of the phase for a moment (RSS up to 200 MB higher for 85,000 requests): a
    // one-off at the end, not growth, so it is left out of the peak and the slopes.
    const loadEndS = Math.min(seconds, samples.at(-2)!.atS);
    const during = samples.filter((s) => s.atS <= loadEndS);
    const half = during.filter((s) => s.atS >= loadEndS / 2);
    const gcHalf = heapAfterGc.filter((s) => s.atS >= loadEndS / 2 && s.atS <= loadEndS);
    const heapSeries = gcHalf.length >= 4 ? gcHalf : floors(half, 4);
    return {
      seconds: loadEndS,
      streams,
      faults,
      ratePerS,
      samples,
      heapAfterGc,
      gc,
      heapSlopeMbPerMin: slope(heapSeries.map((s) => [s.atS / 60, s.heapMb])),
      rssSlopeMbPerMin: slope(half.map((s) => [s.atS / 60, s.rssMb])),
      rssSlopeLastQuarterMbPerMin: slope(half.filter((s) => s.atS >= (loadEndS * 3) / 4).map((s) => [s.atS / 60, s.rssMb])),
      rssPeakMb: Math.max(...during.map((s) => s.rssMb)),
      fdMin: Math.min(...samples.map((s) => s.fds)),
      fdMax: Math.max(...samples.map((s) => s.fds)),
      requests: { scheduled, ok, failed, dropped, total, warmup },
      recordsOnDisk,
      errorsByKind: phase.errorsByKind,
      accounted: ok + failed + dropped === scheduled && total + warmup === recordsOnDisk,
    };
  } finally {
    await sim.stop();
  }
}

/** Open file descriptors of this process (the directory handle used to list them excluded). */
function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return Number.NaN; // not Linux
  }
}

/** The lowest-heap sample of each window of n: a GC'd heap leaks only if these rise. */
function floors(samples: SoakSample[], n: number): SoakSample[] {
  const out: SoakSample[] = [];
  for (let i = 0; i < samples.length; i += n) {
    const window = samples.slice(i, i + n);
    out.push(window.reduce((a, b) => (b.heapMb < a.heapMb ? b : a)));
  }
  return out;
}

function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
