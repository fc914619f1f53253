// A site of 60 runs, built three times by `servebench site build` (real processes) with one chart
// cache: the index and the filtered indexes are split into pages of 50; every run's charts are
// rendered once on the worker pool, and their spec downloads written; a rebuild takes every
// run's charts from the cache and writes the same site byte for byte; a run whose file changes
// is rendered again, and only that one.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR } from './fixtures.ts';
import { filesUnder, siteBuild, type Built } from './site-build.ts';

/** Files of a built site, relative to it. */
async function siteFiles(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).map((f) => relative(dir, f));
}

const RUNS = 60;
const idOf = (i: number): string => `20250701-${String(100000 + i).slice(1)}-page-${String(i).padStart(4, '0')}`;

let tmp: string;
let runsDir: string;
let cacheDir: string;
let first: Built;
let second: Built;
let third: Built;

async function writeRuns(): Promise<void> {
  const golden = JSON.parse(await readFile(join(GOLDEN_DIR, 'run.json'), 'utf8')) as Record<string, unknown>;
  for (let i = 0; i < RUNS; i++) {
    const dir = join(runsDir, idOf(i));
    await mkdir(dir, { recursive: true });
    // Run i started i minutes after run 0: newest first puts run 59 on top.
    const startedAt = new Date(Date.parse('2025-07-01T00:00:00Z') + i * 60_000).toISOString();
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...golden, id: idOf(i), name: `page run ${i}`, startedAt, finishedAt: startedAt }));
    await cp(join(GOLDEN_DIR, 'requests.ndjson.gz'), join(dir, 'requests.ndjson.gz'));
  }
}

const runLinks = (html: string): string[] => [...html.matchAll(/<th scope="rowgroup"[^>]*><a href="\/runs\/([^/]+)\/">/g)].map((m) => m[1]!);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-scale-'));
  runsDir = join(tmp, 'runs');
  cacheDir = join(tmp, 'cache');
  await writeRuns();
  first = await siteBuild(['--runs', runsDir, '--out', join(tmp, 'first')], cacheDir);
  second = await siteBuild(['--runs', runsDir, '--out', join(tmp, 'second')], cacheDir);
  const changed = join(runsDir, idOf(7), 'run.json');
  await writeFile(changed, (await readFile(changed, 'utf8')).replace('page run 7', 'page run seven'));
  third = await siteBuild(['--runs', runsDir, '--out', join(tmp, 'third')], cacheDir);
}, 300_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a site of 60 runs', () => {
  it('builds, rendering every run’s charts once on worker threads', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`charts: +${RUNS} runs rendered on \\d+ worker threads?, 0 from the cache`));
  });

  it('lists the newest 50 runs on the index and the other 10 on /page/2/, each run once', async () => {
    const one = await readFile(join(tmp, 'first', 'index.html'), 'utf8');
    const two = await readFile(join(tmp, 'first', 'page', '2', 'index.html'), 'utf8');
    expect(runLinks(one)).toEqual(Array.from({ length: 50 }, (_, i) => idOf(RUNS - 1 - i)));
    expect(runLinks(two)).toEqual(Array.from({ length: 10 }, (_, i) => idOf(9 - i)));
    expect(one).toContain('Runs 1–50 of 60 · page 1 of 2');
    expect(one).toContain('<a href="/page/2/" rel="next">Older runs</a>');
    expect(two).toContain('<a href="/" rel="prev">Newer runs</a>');
    expect(two).toContain('<title>Benchmark runs (page 2 of 2) · servebench</title>');
    const files = await siteFiles(join(tmp, 'first'));
    expect(files.filter((f) => /^page\//.test(f))).toEqual(['page/2/index.html']);
  });

  it('pages the filtered indexes the same way, and lists every page in the sitemap', async () => {
    const files = await siteFiles(join(tmp, 'first'));
    expect(files).toContain('engines/vllm/index.html');
    expect(files).toContain('engines/vllm/page/2/index.html');
    expect(runLinks(await readFile(join(tmp, 'first', 'engines', 'vllm', 'page', '2', 'index.html'), 'utf8'))).toHaveLength(10);
    const sitemap = await readFile(join(tmp, 'first', 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>/page/2/</loc>');
    expect(sitemap).toContain('<loc>/engines/vllm/page/2/</loc>');
  });

  it('writes the spec download of every chart a report links to', async () => {
    const files = new Set(await siteFiles(join(tmp, 'first')));
    for (const i of [0, 31, 59]) {
      const report = await readFile(join(tmp, 'first', 'runs', idOf(i), 'index.html'), 'utf8');
      const specs = [...report.matchAll(/href="\/(runs\/[^"]+\.vl\.json)"/g)].map((m) => m[1]!);
      expect(specs.length).toBeGreaterThanOrEqual(3);
      for (const spec of specs) {
        expect(files.has(spec), spec).toBe(true);
        const json = JSON.parse(await readFile(join(tmp, 'first', spec), 'utf8')) as { $schema: string };
        expect(json.$schema).toMatch(/vega-lite/);
      }
    }
  });

  it('takes every run’s charts from the cache on a rebuild, and writes the same site', async () => {
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`charts: +0 runs rendered on \\d+ worker threads?, ${RUNS} from the cache`));
    const a = await siteFiles(join(tmp, 'first'));
    expect(await siteFiles(join(tmp, 'second'))).toEqual(a);
    for (const file of a) {
      // The manifest records when it was built; everything else is the same byte for byte.
      if (file === 'servebench-site.json') continue;
      expect(await readFile(join(tmp, 'second', file)), file).toEqual(await readFile(join(tmp, 'first', file)));
    }
  });

  it('renders again only the run whose file changed', async () => {
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(new RegExp(`charts: +1 run rendered on \\d+ worker threads?, ${RUNS - 1} from the cache`));
    expect(await readFile(join(tmp, 'third', 'runs', idOf(7), 'index.html'), 'utf8')).toContain('page run seven');
  });
});
