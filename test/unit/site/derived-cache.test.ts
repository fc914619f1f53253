// The derived-data cache: bundles are filed under a hash of the run's files, read back only when whole,
// and pruned once no build has used them for a week.
import { cp, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRun } from '../../../collector/store/read-run.ts';
import type { SiteChart } from '../../../site/lib/charts-adapter.ts';
import { KEEP_UNUSED_MS, bundleKey, derivedCodeFiles, pruneBundles, readBundle, writeBundle, type RunDerived } from '../../../site/lib/derived/cache.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));
const chart: SiteChart = { id: 'ttft', title: 'T', description: 'D', svg: '<svg></svg>', caption: null, columns: ['a'], rows: [['1']], note: null, specJson: '{}\n' };
const derived: RunDerived = { run: await readRun(GOLDEN), charts: [chart], prompts: [], conversations: { shown: [], total: 0 }, requestsCsv: 'a\n', summaryCsv: 'b\n' };

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

describe('readBundle and writeBundle', () => {
  it('reads back what was written, and treats a torn or foreign file as absent', async () => {
    const file = await writeBundle(tmp, 'run-1', 'k1', derived);
    expect(await readBundle(tmp, 'k1')).toEqual({ file, runId: 'run-1' });
    expect(await readBundle(tmp, 'k2')).toBeNull();
    await writeFile(join(tmp, 'k3.json'), '{"key":"k3","runId":"run-1","charts":[');
    expect(await readBundle(tmp, 'k3')).toBeNull();
    await writeFile(join(tmp, 'k4.json'), JSON.stringify({ key: 'other', runId: 'run-1', charts: [] }));
    expect(await readBundle(tmp, 'k4')).toBeNull();
  });
});

describe('pruneBundles', () => {
  it('removes bundles unused for a week and keeps the others, touched by a read', async () => {
    await writeBundle(tmp, 'run-1', 'old', derived);
    await writeBundle(tmp, 'run-2', 'used', derived);
    await writeBundle(tmp, 'run-3', 'new', derived);
    const longAgo = new Date(Date.now() - KEEP_UNUSED_MS - 60_000);
    await utimes(join(tmp, 'old.json'), longAgo, longAgo);
    await utimes(join(tmp, 'used.json'), longAgo, longAgo);
    expect(await readBundle(tmp, 'used')).not.toBeNull();
    expect(await pruneBundles(tmp)).toBe(1);
    expect((await readdir(tmp)).sort()).toEqual(['new.json', 'used.json']);
    expect(await pruneBundles(join(tmp, 'absent'))).toBe(0);
  });
});

describe('derivedCodeFiles', () => {
  it('follows the worker’s imports into the collector, so a change anywhere in them makes bundles stale', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const files = (await derivedCodeFiles()).map((f) => f.slice(root.length));
    for (const file of ['site/lib/derived/worker.ts', 'site/lib/charts/render.ts', 'site/lib/responses.ts', 'site/lib/csv.ts', 'collector/store/read-run.ts', 'collector/workloads/conversations.ts']) {
      expect(files).toContain(file);
    }
    expect(files.every((f) => f.endsWith('.ts'))).toBe(true);
  });
});
