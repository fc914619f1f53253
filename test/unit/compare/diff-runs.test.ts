// The diff of two runs over the slo-sweep fixture (simulated vLLM and TGI, 4 phases of 60
// requests): the run against itself, and against copies whose records were edited to decode
// 15 % and 3 % slower on one engine.
import { beforeAll, describe, expect, it } from 'vitest';
import { diffRuns, goodputObjectives, regressions, type DiffRow, type RunDiff } from '../../../collector/compare/diff-runs.ts';
import { samplesOf } from '../../../collector/compare/phase-samples.ts';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { slowerDecode as stretched, SWEEP } from '../../support/slower-sweep.ts';

let run: Run;
let records: RequestRecord[];
beforeAll(async () => {
  run = await readRun(SWEEP);
  records = [];
  for await (const record of readRequests(SWEEP)) records.push(record);
});

/** The records with `engine`'s decoding stretched by `factor`: every event and the end after the first token move out. */
function slowerDecode(engine: string, factor: number): RequestRecord[] {
  return records.map((record) => (record.engine === engine ? stretched(record, factor) : record));
}

function diffOf(head: RequestRecord[], threshold?: number): RunDiff {
  const objectives = goodputObjectives(run, run);
  return diffRuns({ run, samples: samplesOf(records, objectives) }, { run, samples: samplesOf(head, objectives) }, threshold === undefined ? {} : { threshold });
}

const rowsOf = (diff: RunDiff, engine: string, metric: DiffRow['metric']) => diff.rows.filter((r) => r.engine === engine && r.metric === metric);

describe('a run diffed with itself', () => {
  let diff: RunDiff;
  beforeAll(() => {
    diff = diffOf(records);
  });

  it('compares every engine × phase × metric, with no environment difference and nothing unpaired', () => {
    expect(diff.environment).toEqual([]);
    expect(diff.severity).toBeNull();
    expect(diff.unpaired).toEqual([]);
    // 2 engines × 4 phases × (4 latencies × 3 percentiles + tok/s + goodput + error rate)
    expect(diff.rows).toHaveLength(2 * 4 * 15);
    expect(diff.goodputObjectives).toEqual(['ttft:p95<1s', 'e2e:p95<1400ms', 'tpot:p50<60ms']);
  });

  it('finds no change: every Δ is 0 (undefined over a base of 0), every p is 1, each verdict equivalent or insufficient data', () => {
    for (const row of diff.rows) {
      expect(row.delta).toBe(row.base === 0 && row.deltaKind === 'relative' ? null : 0);
      expect(row.p).toBe(1);
      expect(['equivalent', 'insufficient data']).toContain(row.verdict);
    }
    expect(regressions(diff, 'likely-regression')).toEqual([]);
    // The ITL median rests on ~1,900 gaps a phase: decided, not left open.
    expect(rowsOf(diff, 'vllm-sim', 'itl').filter((r) => r.stat === 'p50').map((r) => r.verdict)).toEqual(Array(4).fill('equivalent'));
  });

  it('leaves a p99 of 60 requests undecided: too few values to bound it', () => {
    for (const row of diff.rows.filter((r) => r.stat === 'p99' && r.metric !== 'itl')) expect(row.verdict).toBe('insufficient data');
  });
});

describe('a head whose vLLM decodes 15 % slower', () => {
  let diff: RunDiff;
  beforeAll(() => {
    diff = diffOf(slowerDecode('vllm-sim', 1.15));
  });

  it('flags the ITL median of every phase with an interval excluding 0, and TPOT wherever 60 requests can decide it', () => {
    for (const row of rowsOf(diff, 'vllm-sim', 'itl').filter((r) => r.stat === 'p50')) {
      expect(['regression', 'likely regression'], row.phase).toContain(row.verdict);
      expect(row.delta!).toBeCloseTo(0.15, 1);
      expect(row.ci.lo!).toBeGreaterThan(0);
      expect(row.p!).toBeLessThan(0.05);
      expect(row.cliffsDelta!).toBeGreaterThan(0);
      expect(row.shift!).toBeGreaterThan(0);
    }
    for (const row of rowsOf(diff, 'vllm-sim', 'tpot').filter((r) => r.stat === 'p50')) {
      expect(row.delta!).toBeCloseTo(0.15, 1);
      // At 64 users TPOT spreads widely and 60 requests leave it open; never the wrong way.
      expect(['regression', 'likely regression', 'insufficient data'], row.phase).toContain(row.verdict);
    }
    for (const phase of ['c1', 'c8', 'c32', 'c64']) {
      const flagged = diff.rows.filter((r) => r.engine === 'vllm-sim' && r.phase === phase && (r.metric === 'tpot' || r.metric === 'itl') && r.verdict === 'regression');
      expect(flagged.length, phase).toBeGreaterThan(0);
    }
    expect(diff.rows.filter((r) => r.engine === 'vllm-sim' && (r.metric === 'tpot' || r.metric === 'itl') && r.verdict.includes('improvement'))).toEqual([]);
    // With 60 requests and no spread to speak of at one user, the whole TPOT interval clears τ.
    expect(rowsOf(diff, 'vllm-sim', 'tpot').find((r) => r.phase === 'c1' && r.stat === 'p50')!.verdict).toBe('regression');
  });

  it('reads the slower per-request output rate as worse, never as an improvement', () => {
    for (const row of rowsOf(diff, 'vllm-sim', 'output_tokens_per_s')) expect(['regression', 'likely regression']).toContain(row.verdict);
  });

  it('leaves TGI, whose records are unchanged, without a regression', () => {
    expect(diff.rows.filter((r) => r.engine === 'tgi-sim' && r.verdict.includes('regression'))).toEqual([]);
    expect(regressions(diff, 'regression').every((r) => r.engine === 'vllm-sim')).toBe(true);
  });
});

describe('a head whose vLLM decodes 3 % slower, at τ = 5 %', () => {
  it('calls nothing a regression', () => {
    const diff = diffOf(slowerDecode('vllm-sim', 1.03), 0.05);
    expect(regressions(diff, 'regression')).toEqual([]);
    const medians = rowsOf(diff, 'vllm-sim', 'tpot').filter((r) => r.stat === 'p50');
    for (const row of medians) expect(['equivalent', 'insufficient data']).toContain(row.verdict);
  });

  it('does call it a regression at τ = 1 %, so the threshold is what held it back', () => {
    const diff = diffOf(slowerDecode('vllm-sim', 1.03), 0.01);
    expect(regressions(diff, 'regression').some((r) => r.metric === 'tpot' || r.metric === 'itl')).toBe(true);
  });
});

describe('the error rate', () => {
  it('is compared in points, and a rise from 0 to 20 % of requests failing is a regression', () => {
    let n = 0;
    const failing = records.map((r) => (r.engine === 'tgi-sim' && r.phase === 'c8' && n++ % 5 === 0 ? { ...r, status: 'error' as const, error: { kind: 'http', message: 'HTTP 500' } } : r)) as RequestRecord[];
    const diff = diffOf(failing);
    const row = diff.rows.find((r) => r.engine === 'tgi-sim' && r.phase === 'c8' && r.metric === 'error_rate')!;
    expect(row.deltaKind).toBe('points');
    expect(row.base).toBe(0);
    expect(row.head).toBeCloseTo(0.2, 5);
    expect(row.ci.lo!).toBeGreaterThan(0.01);
    expect(row.verdict).toBe('regression');
  });
});
