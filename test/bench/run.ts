// `npm run bench [-- --only timing,ingest,soak] [--soak-s 600]`: the performance figures.
// Targets live here, never in timed unit tests: p99 timing error < 1 ms at 64 streams and < 5 ms
// at 512; >= 50,000 chunks/s ingested per core; memory flat over a long run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestion } from './ingestion.ts';
import { soak } from './soak.ts';
import { timingError } from './timing-error.ts';
import { largeRunPage, siteScale } from './site-scale.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'timing,ingest,soak,site' },
    'site-runs': { type: 'string', default: '10,100,1000' },
    'soak-s': { type: 'string', default: '60' },
  },
});
const only = new Set(values.only.split(','));
const f = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const tmp = await mkdtemp(join(tmpdir(), 'servebench-bench-'));
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

try {
  console.log(`servebench bench on ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? 'cpu'}, ${(await import('node:os')).availableParallelism()} cores\n`);
  if (only.has('timing')) {
    console.log('## Timing error against simulator ground truth (|recorded - written| per chunk, ms)');
    console.log('| streams | requests | chunks | p50 | p99 | max | bias (median signed) | unpaired | target |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of await timingError(tmp, [1, 64, 512])) {
      const target = r.streams === 64 ? verdict(r.p99Ms < 1) : r.streams === 512 ? verdict(r.p99Ms < 5) : '';
      console.log(`| ${r.streams} | ${r.requests} | ${r.events} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.maxMs)} | ${f(r.biasMs)} | ${r.unpaired} | ${target} |`);
    }
    console.log('');
  }
  if (only.has('ingest')) {
    console.log('## Ingestion ceiling, zero-delay simulator in its own process (32 streams, 400 × 512 tokens)');
    console.log('| client | chunks | chunks / CPU-s | output tokens / CPU-s | chunks / wall-s | wall s | CPU s | peak RSS MB | target |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of await ingestion(tmp, 400, 32, 512)) {
      const target = r.client.startsWith('servebench') ? verdict(r.chunksPerCpuS >= 50_000) : 'baseline';
      console.log(`| ${r.client} | ${r.chunks} | ${f(r.chunksPerCpuS, 0)} | ${f(r.tokensPerCpuS, 0)} | ${f(r.chunksPerWallS, 0)} | ${f(r.wallS, 2)} | ${f(r.cpuS, 2)} | ${f(r.peakRssMb, 0)} | ${target} |`);
    }
    console.log('');
  }
  if (only.has('site')) {
    console.log('## Site build at scale (runs synthesised from the simulator demo run; build in a child process)');
    console.log('| runs | cold build s | peak RSS MB | warm build s | peak RSS MB | run page KB | index KB | dist MB | target |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of await siteScale(tmp, values['site-runs'].split(',').map(Number))) {
      // The target is for a cold build: a fresh CI runner has no cache.
      const target = r.runs === 1000 ? verdict(r.buildS < 120) : '';
      console.log(
        `| ${r.runs} | ${f(r.buildS, 1)} | ${f(r.peakRssMb, 0)} | ${f(r.warmBuildS, 1)} | ${f(r.warmPeakRssMb, 0)} | ${f(r.runPageKb, 1)} (${verdict(r.runPageKb < 300)}) | ${f(r.indexKb, 0)} | ${f(r.distMb, 1)} | ${target} |`,
      );
    }
    const large = await largeRunPage(tmp, 30);
    console.log(
      `Large run (the sample run's records ×30: ${large.requests} requests): run page ${f(large.runPageKb, 1)} KB (${verdict(large.runPageKb < 300)}, < 300 KB), responses page ${f(large.responsesKb, 1)} KB`,
    );
    console.log('');
  }
  if (only.has('soak')) {
    const seconds = Number(values['soak-s']);
    const r = await soak(tmp, seconds);
    console.log(`## Memory over ${f(r.seconds, 0)} s at 32 users (${r.requests} requests)`);
    const first = r.samples[0]!;
    const last = r.samples.at(-1)!;
    console.log(`heap ${f(first.heapMb, 1)} → ${f(last.heapMb, 1)} MB, RSS ${f(first.rssMb, 1)} → ${f(last.rssMb, 1)} MB;`);
    const step = Math.max(1, Math.floor(r.samples.length / 12));
    console.log(`samples (s: heap/external/RSS MB): ${r.samples.filter((_, i) => i % step === 0).map((s) => `${f(s.atS, 0)}: ${f(s.heapMb, 0)}/${f(s.externalMb, 0)}/${f(s.rssMb, 0)}`).join(', ')}`);
    console.log(`slope over the second half: heap floor ${f(r.heapSlopeMbPerMin, 2)} MB/min, RSS ${f(r.rssSlopeMbPerMin, 2)} MB/min (heap: ${verdict(r.heapSlopeMbPerMin < 1)}, < 1 MB/min; RSS: ${verdict(r.rssSlopeMbPerMin < 2)}, < 2 MB/min)`);
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
