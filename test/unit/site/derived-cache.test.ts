// The derived-data cache: bundles are filed under a hash of the run's files, read back only when whole,
// unchanged and safe to inline (a poisoned cache is a miss, never markup on a page), and pruned once
// no build has used them for a week.
import { cp, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRun } from '../../../collector/store/read-run.ts';
import type { SiteChart } from '../../../site/lib/report/site-charts.ts';
import {
  bundleKey,
  decodeBundle,
  derivedCodeFiles,
  encodeBundle,
  loadBundle,
  readBundle,
  writeBundle,
  type BundleFile,
  type RunDerived,
} from '../../../site/lib/derived/cache.ts';
import { KEEP_UNUSED_MS, pruneUnused } from '../../../collector/store/prune-unused.ts';
import { startDerivedPool } from '../../../site/lib/derived/pool.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));
const chart: SiteChart = { id: 'ttft', title: 'T', description: 'D', svg: '<svg></svg>', caption: null, columns: ['a'], rows: [['1']], note: null, specJson: '{}\n' };
const derived: RunDerived = { run: await readRun(GOLDEN), charts: [chart], prompts: [], conversations: { shown: [], total: 0 }, requestsCsv: 'a\n', summaryCsv: 'b\n', failureReasons: [] };

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-bundles-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('bundleKey', () => {
  it('is the same for the same files and changes when run.json or the raw records change', async () => {
    const run = join(tmp, 'run');
    await cp(GOLDEN, run, { recursive: true });
    const key = await bundleKey(run);
    expect(await bundleKey(run)).toBe(key);
    const copy = join(tmp, 'copy');
    await cp(GOLDEN, copy, { recursive: true });
    // Content, not place: a runs directory checked out elsewhere uses the same bundles.
    expect(await bundleKey(copy)).toBe(key);
    await writeFile(join(copy, 'requests.ndjson'), '');
    expect(await bundleKey(copy)).not.toBe(key);
    await writeFile(join(run, 'run.json'), '{}');
    expect(await bundleKey(run)).not.toBe(key);
  });
});

const RUN_ID = derived.run.id;

/** A bundle file rewritten by someone who knows the format: edited, and its hash made to match. */
async function tamper(file: string, edit: (bundle: BundleFile) => void): Promise<void> {
  const text = (await readFile(file, 'utf8')).replace(/^[^\n]*\n/, '');
  const bundle = JSON.parse(text) as BundleFile;
  edit(bundle);
  await writeFile(file, encodeBundle(bundle));
}

describe('readBundle and writeBundle', () => {
  it('reads back what was written, and treats a torn or foreign file as absent', async () => {
    const file = await writeBundle(tmp, RUN_ID, 'k1', derived);
    expect(await readBundle(tmp, 'k1')).toEqual({ file, runId: RUN_ID });
    expect(await loadBundle(file)).toEqual({ key: 'k1', runId: RUN_ID, ...derived });
    expect(await readBundle(tmp, 'k2')).toBeNull();
    await writeFile(join(tmp, 'k3.json'), (await readFile(file)).subarray(0, 500));
    expect(await readBundle(tmp, 'k3')).toEqual({ rejected: 'its content does not match its hash' });
    await writeFile(join(tmp, 'k4.json'), JSON.stringify({ key: 'k4', runId: RUN_ID, charts: [] }));
    expect(await readBundle(tmp, 'k4')).toEqual({ rejected: 'it has no content hash (torn, or written by an older servebench)' });
    await cp(file, join(tmp, 'k5.json'));
    expect(await readBundle(tmp, 'k5')).toEqual({ rejected: 'it is filed under another key' });
  });

  it('rejects a bundle whose bytes no longer match their hash: script injected into a chart SVG', async () => {
    const file = await writeBundle(tmp, RUN_ID, 'k1', derived);
    const bytes = await readFile(file, 'utf8');
    await writeFile(file, bytes.replace('<svg></svg>', '<svg><script>alert(1)</script></svg>'));
    expect(await readBundle(tmp, 'k1')).toEqual({ rejected: 'its content does not match its hash' });
    await expect(loadBundle(file)).rejects.toThrow(/changed during the build and is not used: its content does not match its hash/);
  });

  it('rejects a bundle with a recomputed hash when its SVG is not chart markup or its ids are not path segments', async () => {
    const hostile: Array<[string, (bundle: BundleFile) => void, RegExp]> = [
      ['script', (b) => (b.charts[0]!.svg = '<svg><script>alert(1)</script></svg>'), /holds a <script> element/],
      ['event handler', (b) => (b.charts[0]!.svg = '<svg onload="alert(1)"></svg>'), /<svg> has a onload attribute/],
      ['unquoted attribute', (b) => (b.charts[0]!.svg = '<svg><g onclick=alert(1)></g></svg>'), /does not open a tag/],
      ['HTML after the SVG', (b) => (b.charts[0]!.svg = '<svg></svg><img src=x onerror=alert(1)>'), /does not open a tag/],
      ['comment', (b) => (b.charts[0]!.svg = '<svg><!-- x --></svg>'), /does not open a tag/],
      ['foreign object', (b) => (b.charts[0]!.svg = '<svg><foreignObject></foreignObject></svg>'), /<foreignObject>/],
      ['link', (b) => (b.charts[0]!.svg = '<svg><a href="javascript:alert(1)"></a></svg>'), /<a> element/],
      ['outside paint', (b) => (b.charts[0]!.svg = '<svg><rect fill="url(https://example.com/x.svg#p)"/></svg>'), /refers outside/],
      ['entity-spelled paint', (b) => (b.charts[0]!.svg = '<svg><rect fill="url&#40;https://example.com/x#p)"/></svg>'), /refers outside/],
      ['style', (b) => (b.charts[0]!.svg = '<svg style="background:url(https://example.com/)"></svg>'), /style attribute/],
      ['chart id', (b) => (b.charts[0]!.id = '../../../../tmp/x'), /not a bundle \(charts\.0\.id\)/],
      ['run id', (b) => (b.runId = '../x'), /not a bundle \(runId\)/],
      ['run id disagreeing with the run', (b) => (b.runId = 'another-run'), /do not agree/],
    ];
    for (const [name, edit, reason] of hostile) {
      const file = await writeBundle(tmp, RUN_ID, 'k1', derived);
      await tamper(file, edit);
      const read = await readBundle(tmp, 'k1');
      expect(read, name).toHaveProperty('rejected');
      expect((read as { rejected: string }).rejected, name).toMatch(reason);
      await expect(loadBundle(file), name).rejects.toThrow(reason);
    }
  });

  it('decodes a bundle only under the key it was filed under', () => {
    const bytes = encodeBundle({ key: 'a', runId: RUN_ID, ...derived });
    expect(decodeBundle(bytes, 'a')).toHaveProperty('bundle');
    expect(decodeBundle(bytes, 'b')).toEqual({ problem: 'it is filed under another key' });
  });
});

describe('the derivation pool over a poisoned cache', () => {
  it('derives a run again when its cached bundle was tampered with, and no injected markup survives', async () => {
    const run = join(tmp, 'run');
    await cp(GOLDEN, run, { recursive: true });
    const cacheDir = join(tmp, 'cache');
    const workerFile = new URL('../../../site/lib/derived/worker.ts', import.meta.url);
    const derive = async () => {
      const pool = startDerivedPool([{ dir: run, cacheDir }], { workerFile, size: 1, cacheDir });
      const result = await pool.result(run);
      return { result, stats: { ...pool.stats } };
    };
    const first = await derive();
    expect(first.stats).toMatchObject({ rendered: 1, cached: 0, rejected: 0 });
    const clean = await loadBundle(first.result.file);
    expect(clean.charts.length).toBeGreaterThan(3);

    // A cache poisoner who knows the format: markup in every chart, the hash made to match.
    const payload = '<script>alert(1)</script><g onload="alert(1)"></g>';
    await tamper(first.result.file, (bundle) => {
      for (const chart of bundle.charts) chart.svg = chart.svg.replace('</svg>', `${payload}</svg>`);
    });
    const second = await derive();
    expect(second.stats).toMatchObject({ rendered: 1, cached: 0, rejected: 1 });
    expect(second.stats.firstRejection).toMatch(/is not chart markup: it holds a <script> element/);
    const rederived = await loadBundle(second.result.file);
    expect(rederived.charts.map((c) => c.svg)).toEqual(clean.charts.map((c) => c.svg));
    expect(await readFile(second.result.file, 'utf8')).not.toContain('alert(1)');

    const third = await derive();
    expect(third.stats).toMatchObject({ rendered: 0, cached: 1, rejected: 0 });
  });
});

describe('pruneUnused over the bundles', () => {
  it('removes bundles unused for a week and keeps the others, touched by a read', async () => {
    await writeBundle(tmp, RUN_ID, 'old', derived);
    await writeBundle(tmp, RUN_ID, 'used', derived);
    await writeBundle(tmp, RUN_ID, 'new', derived);
    const longAgo = new Date(Date.now() - KEEP_UNUSED_MS - 60_000);
    await utimes(join(tmp, 'old.json'), longAgo, longAgo);
    await utimes(join(tmp, 'used.json'), longAgo, longAgo);
    expect(await readBundle(tmp, 'used')).not.toBeNull();
    expect(await pruneUnused(tmp)).toBe(1);
    expect((await readdir(tmp)).sort()).toEqual(['new.json', 'used.json']);
    expect(await pruneUnused(join(tmp, 'absent'))).toBe(0);
  });
});

describe('derivedCodeFiles', () => {
  it('follows the worker’s imports into the collector, so a change anywhere in them makes bundles stale', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const files = (await derivedCodeFiles()).map((f) => f.slice(root.length));
    for (const file of ['site/lib/derived/worker.ts', 'site/lib/charts/render.ts', 'site/lib/report/responses.ts', 'site/lib/report/csv.ts', 'collector/store/read-run.ts', 'collector/workloads/conversations.ts']) {
      expect(files).toContain(file);
    }
    expect(files.every((f) => f.endsWith('.ts'))).toBe(true);
  });
});
