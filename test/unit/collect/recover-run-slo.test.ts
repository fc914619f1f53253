// `runs recover` rebuilds the verdicts, goodput and capacity at SLO with the summaries, against
// the objectives the run states.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recoverRun } from '../../../collector/collect/recover-run.ts';
import { readRun } from '../../../collector/store/read-run.ts';

const SWEEP = fileURLToPath(new URL('../../fixtures/runs/slo-sweep/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servebench-recover-slo-'));
  await cp(SWEEP, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runs recover on a run with objectives', () => {
  it('judges the rebuilt phases as the collector did, and finds the same capacity', async () => {
    const collected = await readRun(SWEEP);
    // What a killed collector leaves: partial, no summaries, every record on disk.
    const doc = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { status: string; engines: { phases: unknown[]; capacityAtSlo?: unknown }[] };
    doc.status = 'partial';
    for (const engine of doc.engines) {
      engine.phases = [];
      delete engine.capacityAtSlo;
    }
    await writeFile(join(dir, 'run.json'), JSON.stringify(doc));

    const { run, recovered } = await recoverRun(dir);
    expect(recovered).toBe(true);
    expect(run.slo).toEqual(collected.slo);
    for (const [i, engine] of run.engines.entries()) {
      const before = collected.engines[i]!;
      expect(engine.capacityAtSlo).toEqual(before.capacityAtSlo);
      expect(engine.capacityAtSlo?.how).toBe('interpolated');
      expect(engine.phases.map((p) => p.slo)).toEqual(before.phases.map((p) => p.slo));
    }
    expect(await readRun(dir)).toEqual(run);
  });
});
