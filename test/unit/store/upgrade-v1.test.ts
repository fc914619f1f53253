// Run format v1 → v2 on a real v1 file: test/fixtures/runs/v1-first is the golden run exactly as
// servebench's first run store wrote it (git show 45067b7:test/fixtures/runs/v1-golden/run.json),
// before clockOriginEpochMs existed.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import { ESTIMATED_ORIGIN_WARNING, upgradeV1 } from '../../../collector/store/upgrade-v1.ts';

const V1 = fileURLToPath(new URL('../../fixtures/runs/v1-first/', import.meta.url));
// The last golden run without SLOs: v1 runs upgrade to it (v4 adds no SLO to a run that set none).
const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/v3-golden/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servebench-v1-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading a v1 run', () => {
  it('is a v1 file without the clock origin', async () => {
    const doc = JSON.parse(await readFile(join(V1, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(doc['schemaVersion']).toBe(1);
    expect(doc).not.toHaveProperty('clockOriginEpochMs');
  });

  it('upgrades it to v2, placing the clock origin at startedAt and saying so', async () => {
    const run = await readRun(V1);
    expect(run.schemaVersion).toBe(4);
    expect(run.clockOriginEpochMs).toBe(Date.parse(run.startedAt));
    expect(run.warnings.at(-1)).toBe(ESTIMATED_ORIGIN_WARNING);
    // Everything else reads as written: the same numbers as the v2 golden run of the same requests.
    const golden = await readRun(GOLDEN);
    expect(run.engines).toEqual(golden.engines);
    let records = 0;
    for await (const _ of readRequests(V1)) records++;
    expect(records).toBe(6);
  });

  it('keeps the clock origin of a v1 file that already has one, without a warning', async () => {
    await cp(GOLDEN, dir, { recursive: true });
    const text = await readFile(join(dir, 'run.json'), 'utf8');
    await writeFile(join(dir, 'run.json'), text.replace('"schemaVersion": 3', '"schemaVersion": 1'));
    const run = await readRun(dir);
    const golden = await readRun(GOLDEN);
    expect(run).toEqual(golden);
  });

  it('leaves a v1 file without a start time to the reader, which names the missing field', async () => {
    expect(upgradeV1({ schemaVersion: 1, warnings: [] })).toEqual({ schemaVersion: 1, warnings: [] });
    await cp(V1, dir, { recursive: true });
    const doc = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    delete doc['startedAt'];
    await writeFile(join(dir, 'run.json'), JSON.stringify(doc));
    await expect(readRun(dir)).rejects.toThrow(/upgraded from v1[\s\S]*clockOriginEpochMs: missing/);
  });
});
