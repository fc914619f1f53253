import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isServebenchError } from '../../../collector/errors.ts';
import { readRun } from '../../../collector/store/read-run.ts';
import type { Run } from '../../../collector/store/schema/index.ts';
import { writeRun } from '../../../collector/store/write-run.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servebench-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeRun', () => {
  it('round-trips a run: what is read back equals what was written', async () => {
    const run = await readRun(GOLDEN);
    const target = join(dir, run.id);
    await writeRun(target, run);
    expect(await readRun(target)).toEqual(run);
    expect(await readdir(target)).toEqual(['run.json']);
  });

  it('writes pretty-printed JSON ending with a newline', async () => {
    const run = await readRun(GOLDEN);
    await writeRun(dir, run);
    const text = await readFile(join(dir, 'run.json'), 'utf8');
    expect(text).toBe(`${JSON.stringify(run, null, 2)}\n`);
  });

  it('replaces an existing run.json without leaving temporary files', async () => {
    const run = await readRun(GOLDEN);
    await writeRun(dir, run);
    await writeRun(dir, { ...run, status: 'partial' });
    expect((await readRun(dir)).status).toBe('partial');
    expect(await readdir(dir)).toEqual(['run.json']);
  });

  it('never writes an invalid run, and reports it as a bug with every problem', async () => {
    const run = await readRun(GOLDEN);
    const broken = { ...run, id: 'Not A Slug', engines: [] } as unknown as Run;
    const error = await writeRun(dir, broken).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(isServebenchError(error)).toBe(false);
    expect((error as Error).message).toContain('a servebench bug');
    expect((error as Error).message).toContain(`${join(dir, 'run.json')}: id: expected a URL-safe run id`);
    expect((error as Error).message).toContain(`${join(dir, 'run.json')}: engines: expected at least 1 item, got array (0 items)`);
    expect(await readdir(dir)).toEqual([]);
  });
});
