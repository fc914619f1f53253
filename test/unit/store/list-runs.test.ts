import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRuns } from '../../../collector/store/list-runs.ts';
import { readRun } from '../../../collector/store/read-run.ts';
import { writeRun } from '../../../collector/store/write-run.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

let runsDir: string;
beforeEach(async () => {
  runsDir = await mkdtemp(join(tmpdir(), 'servebench-list-'));
});
afterEach(async () => {
  await rm(runsDir, { recursive: true, force: true });
});

describe('listRuns', () => {
  it('lists run directories newest id first, an unreadable run as its error next to the others', async () => {
    const golden = await readRun(GOLDEN);
    const ids = ['20250101-000000-old-0001', '20250301-000000-new-0003', '20250201-000000-mid-0002'];
    for (const id of ids) await writeRun(join(runsDir, id), { ...golden, id });
    await cp(GOLDEN, join(runsDir, '20250215-000000-broken-0004'), { recursive: true });
    await writeFile(join(runsDir, '20250215-000000-broken-0004', 'run.json'), '{"schemaVersion": 1,');
    await mkdir(join(runsDir, 'not-a-run'));
    await writeFile(join(runsDir, 'notes.txt'), 'hello');

    const listed = await listRuns(runsDir);
    expect(listed.map((entry) => [entry.dir, entry.run?.id ?? entry.error?.code])).toEqual([
      [join(runsDir, '20250301-000000-new-0003'), '20250301-000000-new-0003'],
      [join(runsDir, '20250215-000000-broken-0004'), 'RUN_INVALID'],
      [join(runsDir, '20250201-000000-mid-0002'), '20250201-000000-mid-0002'],
      [join(runsDir, '20250101-000000-old-0001'), '20250101-000000-old-0001'],
    ]);
  });

  it('returns nothing for an empty or missing runs directory', async () => {
    expect(await listRuns(runsDir)).toEqual([]);
    expect(await listRuns(join(runsDir, 'missing'))).toEqual([]);
  });
});
