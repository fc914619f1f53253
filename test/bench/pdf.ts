// PDF export and share cards at the scale of a site: seconds per executive and per report PDF
// printed in the system Chromium (one browser for all, cold cache), the time to take them all from
// the cache again, and the bytes a run costs the published site without PDFs, with the default
// PDFs (the newest run of each series) and with PDFs for every run. The runs are copies of the
// sample run (one series), built by `servebench site build` in a child process.
import { spawn } from 'node:child_process';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPreview } from '../../collector/commands/site.ts';
import { exportPdfs, type PdfExportResult } from '../../collector/pdf/export.ts';
import type { PdfSelection } from '../../collector/pdf/select.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { writeShareCards } from '../../site/integrations/share-cards.ts';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../runs/20261123-203201-demo-2238/', import.meta.url));

export interface PdfBenchResult {
  runs: number;
  buildS: number;
  /** Seconds to print each PDF, by kind. */
  executiveS: number[];
  reportS: number[];
  browserStartS: number | null;
  /** Seconds to take every PDF from the cache on a second export. */
  allCachedS: number;
  executiveBytes: number[];
  reportBytes: number[];
  /** Bytes of the published site per run: no PDFs, the default PDFs, PDFs for every run. */
  perRun: { without: number; withDefault: number; withAll: number };
  /** Bytes of the two share cards per run (inside `without`). */
  cardsPerRun: number;
  /** Drawing every run's cards again into an empty card cache, as a cold build does (8 runs at a time): wall and CPU ms per card. */
  cardWallMs: number;
  cardCpuMs: number;
  /** Runs that got PDFs by default. */
  defaultRuns: number;
  refused: number;
}

async function sizeOf(dir: string, keep: (name: string) => boolean = () => true): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile() && keep(e.name)) total += (await stat(join(e.parentPath, e.name))).size;
  return total;
}

async function synthesise(into: string, n: number): Promise<void> {
  const template = JSON.parse(await readFile(join(SAMPLE, 'run.json'), 'utf8')) as { startedAt: string };
  const start = Date.parse(template.startedAt);
  for (let i = 0; i < n; i++) {
    const at = new Date(start - i * 3_600_000);
    const id = `${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase()}-pdf-${String(i).padStart(4, '0')}`;
    await cp(SAMPLE, join(into, id), { recursive: true });
    await writeFile(join(into, id, 'run.json'), JSON.stringify({ ...template, id, startedAt: at.toISOString(), name: `pdf bench ${i}` }, null, 2));
  }
}

function build(runs: string, out: string, cacheDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'site', 'build', '--runs', runs, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SERVEBENCH_CACHE_DIR: cacheDir } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`site build exited ${code}:\n${err}`))));
  });
}

const exportFrom = (outDir: string, selection: PdfSelection, cacheDir: string): Promise<PdfExportResult> =>
  exportPdfs({ outDir, selection, format: 'A4', cacheDir, env: process.env, serve: (dir, base) => startPreview(dir, base, 0) });

async function withoutPdfs(dist: string): Promise<number> {
  return sizeOf(dist, (name) => !name.endsWith('.pdf'));
}

/** The cards of every run in the site drawn again, as the build's downloads hook does: 8 runs at a time. */
async function drawCards(dist: string, cacheDir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const ids = await readdir(join(dist, 'runs'));
  const runs = await Promise.all(ids.map((id) => readRun(join(dist, 'runs', id))));
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  let cards = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const i = next++;
        const drawn = await writeShareCards(runs[i]!, join(dist, 'runs', ids[i]!), cacheDir);
        cards += drawn.drawn;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  // sharp quantises on libuv's threads, which process.cpuUsage counts with the main thread.
  return { wallMs: (performance.now() - started) / cards, cpuMs: (used.user + used.system) / 1000 / cards };
}

export async function pdfBench(tmp: string, n: number): Promise<PdfBenchResult> {
  const runs = join(tmp, 'pdf-runs');
  const dist = join(tmp, 'pdf-dist');
  await synthesise(runs, n);
  const buildS = await build(runs, dist, join(tmp, 'pdf-astro-cache'));
  const without = await withoutPdfs(dist);
  const cards = await sizeOf(join(dist, 'runs'), (name) => name === 'card.png');

  const cardTimes = await drawCards(dist, join(tmp, 'pdf-card-cache'));

  const byDefault = await exportFrom(dist, { all: false, named: [] }, join(tmp, 'pdf-cache'));
  const withDefault = await sizeOf(dist);
  // Every run, from a cold cache: the per-PDF times.
  const all = await exportFrom(dist, { all: true, named: [] }, join(tmp, 'pdf-cache-all'));
  const withAll = await sizeOf(dist);
  const started = performance.now();
  const again = await exportFrom(dist, { all: true, named: [] }, join(tmp, 'pdf-cache-all'));
  const allCachedS = (performance.now() - started) / 1000;
  if (again.pdfs.some((p) => !p.cached)) throw new Error('a second export printed again: the cache missed');

  const printed = all.pdfs.filter((p) => !p.cached);
  return {
    runs: n,
    buildS,
    executiveS: printed.filter((p) => p.kind === 'executive').map((p) => p.seconds),
    reportS: printed.filter((p) => p.kind === 'report').map((p) => p.seconds),
    browserStartS: all.browserStartS,
    allCachedS,
    executiveBytes: all.pdfs.filter((p) => p.kind === 'executive').map((p) => p.bytes),
    reportBytes: all.pdfs.filter((p) => p.kind === 'report').map((p) => p.bytes),
    perRun: { without: without / n, withDefault: withDefault / n, withAll: withAll / n },
    cardsPerRun: cards / n,
    cardWallMs: cardTimes.wallMs,
    cardCpuMs: cardTimes.cpuMs,
    defaultRuns: new Set(byDefault.pdfs.map((p) => p.runId)).size,
    refused: all.refused.length + byDefault.refused.length,
  };
}
