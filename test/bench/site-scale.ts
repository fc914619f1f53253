// Site build time, page weight and memory at 10, 100 and 1,000 runs, synthesised from a
// simulator run (copies with their own ids and start times). The build runs in a child process
// so its peak memory is its own: once with an empty derived-data cache (cold), then again over
// the same runs with the cache the first build filled (warm). The copies share their chart
// shapes, as runs of one scenario do, so each worker compiles a chart kind once.
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));

export interface SiteScaleRow {
  runs: number;
  buildS: number;
  peakRssMb: number;
  warmBuildS: number;
  warmPeakRssMb: number;
  runPageKb: number;
  indexKb: number;
  distMb: number;
}

async function synthesise(source: string, into: string, n: number): Promise<void> {
  await mkdir(into, { recursive: true });
  const template = JSON.parse(await readFile(join(source, 'run.json'), 'utf8')) as { id: string; startedAt: string; name: string };
  const start = Date.parse(template.startedAt);
  for (let i = 0; i < n; i++) {
    const at = new Date(start - i * 3_600_000);
    const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase();
    const id = `${stamp}-scale-${String(i).padStart(4, '0')}`;
    const dir = join(into, id);
    await cp(source, dir, { recursive: true });
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...template, id, startedAt: at.toISOString(), name: `scale ${i}` }, null, 2));
  }
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  return total;
}

function buildInChild(runs: string, out: string, cacheDir: string): Promise<{ seconds: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // GNU time reports the child's peak RSS (max resident set, KB).
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'site', 'build', '--runs', runs, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SERVEBENCH_CACHE_DIR: cacheDir },
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`site build exited ${code}:\n${err}`));
      const kb = Number(err.trim().split('\n').at(-1));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMb: kb / 1024 });
    });
  });
}

export async function siteScale(tmp: string, counts: number[]): Promise<SiteScaleRow[]> {
  const repoRuns = fileURLToPath(new URL('../../runs/', import.meta.url));
  const source = join(repoRuns, (await readdir(repoRuns))[0]!);
  const rows: SiteScaleRow[] = [];
  for (const n of counts) {
    const runs = join(tmp, `runs-${n}`);
    const out = join(tmp, `dist-${n}`);
    await synthesise(source, runs, n);
    const cache = join(tmp, `cache-${n}`);
    const { seconds, peakRssMb } = await buildInChild(runs, out, cache);
    const warm = await buildInChild(runs, join(tmp, `dist-${n}-warm`), cache);
    const someRun = (await readdir(join(out, 'runs')))[0]!;
    rows.push({
      runs: n,
      buildS: seconds,
      peakRssMb,
      warmBuildS: warm.seconds,
      warmPeakRssMb: warm.peakRssMb,
      runPageKb: (await stat(join(out, 'runs', someRun, 'index.html'))).size / 1024,
      indexKb: (await stat(join(out, 'index.html'))).size / 1024,
      distMb: (await sizeOf(out)) / 2 ** 20,
    });
  }
  return rows;
}

export interface LargeRunRow {
  requests: number;
  runPageKb: number;
  responsesKb: number;
}

/**
 * Page weight of a large run: the sample run's raw records repeated `times` times, each copy
 * later by the run's length (its summaries stay the sample's: the charts draw the records).
 */
export async function largeRunPage(tmp: string, times: number): Promise<LargeRunRow> {
  const repoRuns = fileURLToPath(new URL('../../runs/', import.meta.url));
  const source = join(repoRuns, (await readdir(repoRuns))[0]!);
  const runs = join(tmp, 'runs-large');
  const dir = join(runs, 'large');
  await mkdir(dir, { recursive: true });
  await cp(join(source, 'run.json'), join(dir, 'run.json'));
  const records = gunzipSync(await readFile(join(source, 'requests.ndjson.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { seq: number; sentMs: number; scheduledMs: number });
  const span = Math.max(...records.map((r) => r.sentMs)) + 1000;
  const lines: string[] = [];
  for (let k = 0; k < times; k++) {
    for (const r of records) lines.push(JSON.stringify({ ...r, seq: lines.length, sentMs: r.sentMs + k * span, scheduledMs: r.scheduledMs + k * span }));
  }
  await writeFile(join(dir, 'requests.ndjson.gz'), gzipSync(`${lines.join('\n')}\n`));
  const out = join(tmp, 'dist-large');
  await buildInChild(runs, out, join(tmp, 'cache-large'));
  const id = (await readdir(join(out, 'runs')))[0]!;
  return {
    requests: lines.length,
    runPageKb: (await stat(join(out, 'runs', id, 'index.html'))).size / 1024,
    responsesKb: (await stat(join(out, 'runs', id, 'responses', 'index.html'))).size / 1024,
  };
}
