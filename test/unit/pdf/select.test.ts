// Which runs get PDFs: the newest of every series (engine identity × scenario hash, as on the
// trends page), the runs named, or every run with --all.
import { describe, expect, it } from 'vitest';
import { latestPerSeries, pdfRunIds, type SelectableRun } from '../../../collector/pdf/select.ts';

const run = (id: string, startedAt: string, scenarioHash: string, ...identities: string[]): SelectableRun => ({ id, startedAt, scenarioHash, engines: identities.map((identity) => ({ identity })) });

const RUNS = [
  run('a-old', '2026-01-01T00:00:00Z', 'chat', 'vllm 0.6'),
  run('a-new', '2026-01-03T00:00:00Z', 'chat', 'vllm 0.6'),
  run('b-only', '2026-01-02T00:00:00Z', 'chat', 'tgi 3'),
  // vllm under another scenario: a series of its own.
  run('c-batch', '2026-01-01T12:00:00Z', 'batch', 'vllm 0.6'),
  // Two engines: newest of the tgi series, not of the vllm one.
  run('d-both', '2026-01-02T12:00:00Z', 'chat', 'vllm 0.6', 'tgi 3'),
];

describe('latestPerSeries', () => {
  it('keeps the newest run of each engine and scenario, and a run of several engines when it is the newest of any', () => {
    expect([...latestPerSeries(RUNS)].sort()).toEqual(['a-new', 'c-batch', 'd-both']);
  });

  it('breaks a tie in start time by run id, so the choice is the same on every build', () => {
    const tied = [run('x-2', '2026-01-01T00:00:00Z', 'h', 'e'), run('x-1', '2026-01-01T00:00:00Z', 'h', 'e')];
    expect([...latestPerSeries(tied)]).toEqual(['x-2']);
    expect([...latestPerSeries(tied.toReversed())]).toEqual(['x-2']);
  });
});

describe('pdfRunIds', () => {
  it('adds the runs named to the newest of each series, in the order the runs were given', () => {
    expect(pdfRunIds(RUNS, { all: false, named: ['a-old'] })).toEqual(['a-old', 'a-new', 'c-batch', 'd-both']);
  });

  it('gives every run PDFs with --all', () => {
    expect(pdfRunIds(RUNS, { all: true, named: [] })).toEqual(RUNS.map((r) => r.id));
  });

  it('gives an empty site no PDFs', () => {
    expect(pdfRunIds([], { all: false, named: [] })).toEqual([]);
  });
});
