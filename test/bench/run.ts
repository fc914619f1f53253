// `npm run bench [-- --only timing,ingest,soak,site,pdf] [--repeat 3] [--soak-s 600] [--soak-streams 256] [--soak-faults none] [--pdf-runs 10]`:
// the performance figures.
// Targets live here, never in timed unit tests: p99 timing error < 1.5 ms at 64 streams and < 5 ms
// at 512, read beside a stamp-only client on the same simulator in the same run (the floor this
// machine allows); ingestion over the load at least 0.85 of a plain fetch-and-split client's
// chunks per CPU-second, in the same run; memory flat over a long run with faults on, every
// scheduled arrival accounted for; an executive-summary PDF printed in under 2 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestion } from './ingestion.ts';
import { soak, SOAK_FAULTS } from './soak.ts';
import { timingError } from './timing-error.ts';
import { largeRunPage, siteScale } from './site-scale.ts';
import { pdfBench } from './pdf.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'timing,ingest,soak,site,pdf' },
    // Copies of the sample run the PDF bench prints, every one of them (--all).
    'pdf-runs': { type: 'string', default: '10' },
    'site-runs': { type: 'string', default: '10,100,1000' },
    // Timing and ingestion run this many times, alternating the clients' order: the machine is noisy.
    repeat: { type: 'string', default: '3' },
    'soak-s': { type: 'string', default: '60' },
    'soak-streams': { type: 'string', default: '256' },
    // Simulator faults during the soak: comma-separated NAME=VALUE, or `none`.
    'soak-faults': { type: 'string', default: SOAK_FAULTS.join(',') },
  },
});
const only = new Set(values.only.split(','));
const f = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const tmp = await mkdtemp(join(tmpdir(), 'servebench-bench-'));
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

try {
  console.log(`servebench bench on ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? 'cpu'}, ${(await import('node:os')).availableParallelism()} cores\n`);
  const repetitions = Number(values.repeat);
  if (only.has('timing')) {
    const target = (streams: number) => (streams === 64 ? 1.5 : streams === 512 ? 5 : null);
    console.log('## Timing error against simulator ground truth (|recorded - written| per chunk, ms)');
    console.log('The stamp-only floor stamps chunks and does nothing else, on the same simulator, alternating with the collector.');
    console.log('| streams | run | client | requests | chunks | p50 | p99 | max | bias (median signed) | unpaired | p99 target |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    const rows = await timingError(tmp, [1, 64, 512], repetitions);
    for (const r of [...rows].sort((a, b) => a.streams - b.streams || a.repetition - b.repetition || a.client.localeCompare(b.client))) {
      const t = target(r.streams);
      const mark = t === null ? '' : `${verdict(r.p99Ms < t)} (< ${t})`;
      console.log(`| ${r.streams} | ${r.repetition} | ${r.client} | ${r.requests} | ${r.events} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.maxMs)} | ${f(r.biasMs)} | ${r.unpaired} | ${mark} |`);
    }
    console.log('');
    for (const streams of [1, 64, 512]) {
      const pick = (client: string) => rows.filter((r) => r.streams === streams && r.client === client);
      const ours = pick('servebench collector');
      const floor = pick('stamp-only floor');
      const ratios = ours.map((r) => r.p99Ms / floor.find((x) => x.repetition === r.repetition)!.p99Ms);
      const t = target(streams);
      console.log(
        `${streams} streams: collector p99 ${ours.map((r) => f(r.p99Ms, 2)).join(' / ')} ms, stamp-only floor ${floor.map((r) => f(r.p99Ms, 2)).join(' / ')} ms, ` +
          `ratio ${ratios.map((x) => f(x, 2)).join(' / ')} (median ${f(median(ratios), 2)})` +
          (t === null ? '' : `; target < ${t} ms: collector ${ours.filter((r) => r.p99Ms < t).length}/${ours.length}, floor ${floor.filter((r) => r.p99Ms < t).length}/${floor.length}`),
      );
    }
    console.log('');
  }
  if (only.has('ingest')) {
    console.log('## Ingestion ceiling, zero-delay simulator in its own process (32 streams, 400 × 512 tokens)');
    console.log('| run | client | chunks | chunks / CPU-s | output tokens / CPU-s | chunks / wall-s | wall s | CPU s | peak RSS MB |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    const rows = await ingestion(tmp, 400, 32, 512, repetitions);
    for (const r of [...rows].sort((a, b) => a.repetition - b.repetition)) {
      console.log(`| ${r.repetition} | ${r.client} | ${r.chunks} | ${f(r.chunksPerCpuS, 0)} | ${f(r.tokensPerCpuS, 0)} | ${f(r.chunksPerWallS, 0)} | ${f(r.wallS, 2)} | ${f(r.cpuS, 2)} | ${f(r.peakRssMb, 0)} |`);
    }
    const ratio = (client: string) =>
      Array.from({ length: repetitions }, (_, i) => {
        const at = (c: string) => rows.find((r) => r.repetition === i + 1 && r.client === c)!.chunksPerCpuS;
        return at(client) / at('plain fetch + split');
      });
    const load = ratio('servebench collector (load)');
    const whole = ratio('servebench collector (whole run)');
    console.log(
      `\nchunks per CPU-second against the plain client in the same run: over the load ${load.map((x) => f(x, 2)).join(' / ')} (median ${f(median(load), 2)}, ${verdict(median(load) >= 0.85)}, >= 0.85); ` +
        `over the whole run ${whole.map((x) => f(x, 2)).join(' / ')} (median ${f(median(whole), 2)})`,
    );
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
  if (only.has('pdf')) {
    const r = await pdfBench(tmp, Number(values['pdf-runs']));
    const kb = (bytes: number) => f(bytes / 1024, 0);
    console.log(`## PDF export and share cards (${r.runs} copies of the sample run, one series; the system Chromium, one browser, a cold PDF cache)`);
    console.log('| PDF | printed | median s | max s | median KB | target |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| executive summary | ${r.executiveS.length} | ${f(median(r.executiveS), 2)} | ${f(Math.max(...r.executiveS), 2)} | ${kb(median(r.executiveBytes))} | ${verdict(median(r.executiveS) < 2)} (< 2 s) |`);
    console.log(`| report | ${r.reportS.length} | ${f(median(r.reportS), 2)} | ${f(Math.max(...r.reportS), 2)} | ${kb(median(r.reportBytes))} | |`);
    console.log(
      `browser started in ${f(r.browserStartS ?? Number.NaN, 2)} s; every PDF again from the cache in ${f(r.allCachedS, 2)} s; site build ${f(r.buildS, 1)} s; ` +
        `requests refused for leaving the local server: ${r.refused}`,
    );
    console.log(
      `bytes per run in the published site: ${kb(r.perRun.without)} KB without PDFs (share cards ${kb(r.cardsPerRun)} KB of it), ` +
        `${kb(r.perRun.withDefault)} KB with the default PDFs (newest run of each series: ${r.defaultRuns} of ${r.runs} runs), ${kb(r.perRun.withAll)} KB with PDFs for every run; ` +
        `1,000 runs: ${f((r.perRun.without * 1000) / 2 ** 20, 0)} MB, or ${f((r.perRun.withAll * 1000) / 2 ** 20, 0)} MB with PDFs for every run`,
    );
    console.log(`share cards drawn into an empty cache, 8 runs at a time as the build does: ${f(r.cardWallMs, 0)} ms wall and ${f(r.cardCpuMs, 0)} ms CPU a card (two a run)`);
    console.log('');
  }
  if (only.has('soak')) {
    const faults = values['soak-faults'] === 'none' ? [] : values['soak-faults'].split(',').filter(Boolean);
    const r = await soak(tmp, { seconds: Number(values['soak-s']), streams: Number(values['soak-streams']), faults });
    console.log(`## Memory and file descriptors over ${f(r.seconds, 0)} s at ${r.streams} streams in flight`);
    console.log(`open loop at ${r.ratePerS} req/s capped at ${r.streams} in flight; simulator faults: ${r.faults.join(' ') || 'none'}`);
    const q = r.requests;
    console.log(
      `requests: ok ${q.ok} + failed ${q.failed} + dropped ${q.dropped} = ${q.ok + q.failed + q.dropped}, scheduled ${q.scheduled}; ` +
        `${q.total + q.warmup} in run.json, ${r.recordsOnDisk} records on disk (${r.accounted ? 'every arrival accounted for' : 'MISMATCH'})`,
    );
    console.log(`failures by kind: ${Object.entries(r.errorsByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    const first = r.samples[0]!;
    const last = r.samples.at(-1)!;
    const max = (pick: (s: (typeof r.samples)[number]) => number) => Math.max(...r.samples.filter((s) => s.atS <= r.seconds).map(pick));
    const gcHeap = r.heapAfterGc.filter((s) => s.atS <= r.seconds).map((s) => s.heapMb);
    const loadEnd = r.samples.filter((s) => s.atS <= r.seconds).at(-1) ?? last;
    console.log(
      `RSS ${f(first.rssMb, 0)} at the start → peak ${f(r.rssPeakMb, 0)} → ${f(loadEnd.rssMb, 0)} MB when the load ended (${f(last.rssMb, 0)} MB after reading the phase's records back for its summary); open fds ${r.fdMin}–${r.fdMax}`,
    );
    console.log(
      `where RSS goes: V8 heap committed ${f(first.heapTotalMb, 0)} → max ${f(max((s) => s.heapTotalMb), 0)} MB (young generation ${f(first.youngMb, 0)} → max ${f(max((s) => s.youngMb), 0)} MB), ` +
        `RSS beyond it (native memory, and pages V8 keeps after shrinking its heap) ${f(first.rssMb - first.heapTotalMb, 0)} → max ${f(max((s) => s.rssMb - s.heapTotalMb), 0)} MB; ` +
        `heap in use after ${gcHeap.length} major GCs ${gcHeap.length ? `${f(Math.min(...gcHeap), 0)}–${f(Math.max(...gcHeap), 0)}` : '–'} MB`,
    );
    console.log(
      `GC pauses: ${r.gc.minor.count} minor (max ${f(r.gc.minor.maxMs, 1)} ms, ${f(r.gc.minor.totalMs / 1000, 1)} s in all), ` +
        `${r.gc.major.count} major (max ${f(r.gc.major.maxMs, 1)} ms, ${f(r.gc.major.totalMs / 1000, 1)} s in all)`,
    );
    const step = Math.max(1, Math.floor(r.samples.length / 12));
    console.log(
      `samples (s: heap used/committed/external(arrayBuffers)/RSS MB, fds): ${r.samples
        .filter((_, i) => i % step === 0 || i === r.samples.length - 1)
        .map((s) => `${f(s.atS, 0)}: ${f(s.heapMb, 0)}/${f(s.heapTotalMb, 0)}/${f(s.externalMb, 0)}(${f(s.arrayBuffersMb, 0)})/${f(s.rssMb, 0)}, ${s.fds}`)
        .join('; ')}`,
    );
    console.log(
      `slope over the second half: heap ${r.heapAfterGc.length >= 4 ? 'after major GCs' : 'floor'} ${f(r.heapSlopeMbPerMin, 2)} MB/min, RSS ${f(r.rssSlopeMbPerMin, 2)} MB/min (last quarter ${f(r.rssSlopeLastQuarterMbPerMin, 2)}) ` +
        `(heap: ${verdict(r.heapSlopeMbPerMin < 1)}, < 1 MB/min; RSS: ${verdict(r.rssSlopeMbPerMin < 2)}, < 2 MB/min)`,
    );
    console.log(`accounting: ${verdict(r.accounted)}, ok + failed + dropped = scheduled`);
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
