// Which earlier run each run's diff page compares it with: the newest earlier run that measured
// the same things; none for the first of its kind, for a different model, or for a run without
// summaries.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { Run } from '../../../../collector/store/schema/index.ts';
import { diffPath, previousComparable } from '../../../../site/lib/diff/pairs.ts';

const SWEEP = fileURLToPath(new URL('../../../fixtures/runs/slo-sweep/', import.meta.url));

let sweep: Run;
beforeAll(async () => {
  sweep = await readRun(SWEEP);
});

const copy = (id: string, startedAt: string, edit: (run: Run) => void = () => {}): Run => {
  const run = structuredClone(sweep);
  run.id = id;
  run.startedAt = startedAt;
  edit(run);
  return run;
};

describe('previousComparable', () => {
  it('pairs each run with the newest earlier comparable run, whatever order the runs come in', () => {
    const a = copy('a', '2026-01-01T00:00:00Z');
    const b = copy('b', '2026-01-02T00:00:00Z', (r) => (r.engines[1]!.info.version = '9.9.9'));
    const c = copy('c', '2026-01-03T00:00:00Z');
    const pairs = previousComparable([c, a, b]);
    expect([...pairs].map(([head, p]) => [head, p.base.id]).sort()).toEqual([
      ['b', 'a'],
      ['c', 'b'],
    ]);
  });

  it('leaves out a run of another model, and a run without summaries, on both sides', () => {
    const a = copy('a', '2026-01-01T00:00:00Z');
    const other = copy('other', '2026-01-02T00:00:00Z', (r) => (r.engines[0]!.model = 'another-model'));
    const empty = copy('empty', '2026-01-03T00:00:00Z', (r) => r.engines.forEach((e) => (e.phases = [])));
    const emptyLater = copy('empty-later', '2026-01-04T00:00:00Z', (r) => r.engines.forEach((e) => (e.phases = [])));
    expect([...previousComparable([a, other, empty, emptyLater]).keys()]).toEqual([]);
  });

  it('does not pair two runs that started at the same instant', () => {
    expect(previousComparable([copy('a', '2026-01-01T00:00:00Z'), copy('b', '2026-01-01T00:00:00.000Z')]).size).toBe(0);
  });

  it('writes the page path base...head', () => {
    expect(diffPath('x-1', 'y-2')).toBe('diff/x-1...y-2/');
  });
});
