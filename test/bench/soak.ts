// Memory over a long run: the collector at steady load against a fast simulator, RSS and heap
// sampled every few seconds. Flat means the slope over the second half is near zero.
import { startSimProcess } from '../../collector/sim/child.ts';
import { collectOnce } from './collect-once.ts';

export interface SoakResult {
  seconds: number;
  requests: number;
  samples: { atS: number; rssMb: number; heapMb: number; externalMb: number }[];
  /** Least-squares slope over the second half of the heap floor (lowest heap per window, i.e. after GC), MB/min. */
  heapSlopeMbPerMin: number;
  rssSlopeMbPerMin: number;
}

export async function soak(tmp: string, seconds: number): Promise<SoakResult> {
  const sim = await startSimProcess(['--engine', 'vllm:0', '--seed', '1', '--set', 'decodeStepBaseMs=2', '--set', 'decodeStepPerSeqMs=0.02'], 'inherit');
  const engine = sim.engines[0]!;
  const config = (requests: number, name: string) => ({
    name,
    requests,
    concurrency: 32,
    maxTokens: 64,
    engines: [{ kind: 'vllm', url: engine.url, model: engine.model, label: 'vllm' }],
  });
  try {
    // Calibrate: how many requests make `seconds` at this load on this machine.
    const t0 = performance.now();
    await collectOnce(config(320, 'soak-calibration'), tmp);
    const perS = 320 / ((performance.now() - t0) / 1000);
    const requests = Math.max(320, Math.round(perS * seconds));
    const samples: SoakResult['samples'] = [];
    const start = performance.now();
    const take = () => {
      const m = process.memoryUsage();
      samples.push({ atS: (performance.now() - start) / 1000, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, externalMb: (m.external + m.arrayBuffers) / 2 ** 20 });
    };
    const timer = setInterval(take, Math.max(1000, (seconds * 1000) / 60));
    await collectOnce(config(requests, 'soak'), tmp);
    clearInterval(timer);
    // Slopes over the second half of the load itself: the phase summary read back at the end is
    // a one-off, not growth.
    const half = samples.filter((s) => s.atS >= samples.at(-1)!.atS / 2);
    return {
      seconds: samples.at(-1)!.atS,
      requests,
      samples,
      heapSlopeMbPerMin: slope(floors(half, 4).map((s) => [s.atS / 60, s.heapMb])),
      rssSlopeMbPerMin: slope(half.map((s) => [s.atS / 60, s.rssMb])),
    };
  } finally {
    await sim.stop();
  }
}

/** The lowest-heap sample of each window of n: a GC'd heap leaks only if these rise. */
function floors(samples: SoakResult['samples'], n: number): SoakResult['samples'] {
  const out: SoakResult['samples'] = [];
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
