import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../../collector/store/schema/index.ts';
import type { SweepPoint } from '../../../../site/lib/charts/data.ts';
import { chartData } from '../../../../site/lib/charts/data.ts';
import { chartSpecs } from '../../../../site/lib/charts/index.ts';
import { dataTable, titleOf } from '../../../../site/lib/charts/render.ts';
import { highestLoadMeetingSlo, meetsSlo, sweepKinds, sweepSpec } from '../../../../site/lib/charts/sweep.ts';
import { axisTitles, makeRun, record } from './helpers.ts';

const LOADS = {
  c1: { shape: 'closed-loop', concurrency: 1 },
  c4: { shape: 'closed-loop', concurrency: 4 },
  c16: { shape: 'closed-loop', concurrency: 16 },
};

/**
 * Each engine runs c1, c4 and c16 with the given TTFT (every request alike) and a fixed decode;
 * 60 requests a phase, enough to bound a p95 on both sides, so a verdict can be "met".
 */
function sweepRecords(ttft: Record<string, [number, number, number]>, gapMs = 10, perPhase = 60): RequestRecord[] {
  const records: RequestRecord[] = [];
  let seq = 0;
  let at = 0;
  for (const [engine, levels] of Object.entries(ttft)) {
    (['c1', 'c4', 'c16'] as const).forEach((phase, i) => {
      for (let n = 0; n < perPhase; n++) records.push(record({ engine, phase, sentMs: (at += 100), ttftMs: levels[i], gapsMs: [gapMs, gapMs, gapMs] }, seq++));
    });
  }
  return records;
}

function point(engine: string, level: number, verdict: SweepPoint['verdict'], ttftP95Ms: number | null = 50, e2eP95Ms: number | null = 500): SweepPoint {
  return {
    engine,
    phase: `c${level}`,
    loadKind: 'concurrency',
    level,
    requestsPerS: 1,
    outputTokensPerS: 10,
    ttftP50Ms: ttftP95Ms,
    ttftP95Ms,
    e2eP50Ms: e2eP95Ms,
    e2eP95Ms,
    ok: 5,
    failed: 0,
    verdict,
  };
}

describe('meetsSlo and highestLoadMeetingSlo', () => {
  it('reads the run\'s own verdict: met meets, missed, inconclusive and no data do not, and no SLO is null', () => {
    expect(meetsSlo(point('a', 1, 'met'))).toBe(true);
    expect(meetsSlo(point('a', 1, 'missed'))).toBe(false);
    expect(meetsSlo(point('a', 1, 'inconclusive'))).toBe(false);
    expect(meetsSlo(point('a', 1, 'no data'))).toBe(false);
    expect(meetsSlo(point('a', 1, null))).toBeNull();
  });

  it('picks, per engine, the highest level that met every objective', () => {
    const best = highestLoadMeetingSlo([
      point('fast', 1, 'met'),
      point('fast', 4, 'met'),
      point('fast', 16, 'missed'),
      point('slow', 1, 'inconclusive'),
      point('slow', 4, 'missed'),
      point('slow', 16, 'missed'),
      // Not monotonic: the highest level that meets counts, even past a level that did not.
      point('odd', 1, 'met'),
      point('odd', 4, 'missed'),
      point('odd', 16, 'met'),
    ]);
    expect(best.get('fast')?.level).toBe(4);
    expect(best.get('slow')).toBeNull();
    expect(best.get('odd')?.level).toBe(16);
  });
});

describe('sweepSpec', () => {
  it('draws throughput and p50/p95 latency against concurrency, the SLO rules, and rings the highest level within SLO', async () => {
    const records = sweepRecords({ fast: [20, 60, 300], slow: [150, 200, 400] });
    const run = await makeRun(records, { loads: LOADS, slo: ['ttft:p95<=100ms', 'e2e:p95<=1s'] });
    const data = chartData(run, records);
    expect(sweepKinds(data)).toEqual(['concurrency']);
    const spec = sweepSpec(data);
    expect(spec).not.toBeNull();
    expect(titleOf(spec!)).toBe('Load sweep: throughput and latency by concurrency');
    expect(spec!.title).toMatchObject({ subtitle: expect.stringContaining('Rings:') });
    const titles = axisTitles(spec);
    expect(titles).toContain('Output throughput (tokens/s)');
    expect(titles).toContain('Concurrency (requests in flight), log scale');
    expect(titles.some((t) => t.startsWith('Time to first token (ms'))).toBe(true);
    expect(titles.some((t) => t.startsWith('End-to-end latency (ms'))).toBe(true);

    const datasets = spec!.datasets as Record<string, Array<Record<string, unknown>>>;
    expect(datasets['best']).toHaveLength(1);
    expect(datasets['best']![0]).toMatchObject({ engine: 'fast', phase: 'c4', level: 4, ttftP95Ms: 60 });
    expect(datasets['slo']).toEqual([
      { metric: 'ttft', ms: 100, label: 'SLO: TTFT p95 <= 100 ms' },
      { metric: 'e2e', ms: 1000, label: 'SLO: E2E p95 <= 1000 ms' },
    ]);
    expect(datasets['sweep']!.map((r) => [r['engine'], r['level'], r['verdict'], r['highest']])).toEqual([
      ['fast', 1, 'met', ''],
      ['fast', 4, 'met', 'yes'],
      ['fast', 16, 'missed', ''],
      ['slow', 1, 'missed', ''],
      ['slow', 4, 'missed', ''],
      ['slow', 16, 'missed', ''],
    ]);
    expect(spec!.description).toContain('2 engines at 3 concurrency levels (1, 4 and 16)');
    expect(spec!.description).toContain('Objectives drawn (dashed rules): TTFT p95 <= 100 ms and E2E p95 <= 1000 ms.');
    expect(spec!.description).toContain('Highest concurrency meeting every objective (ttft:p95<=100ms and e2e:p95<=1s), ringed: fast 4; slow none.');
    const fastC16 = run.engines[0]!.phases[2]!;
    expect(spec!.description).toContain(`to ${Math.round(fastC16.outputTokensPerS * 10) / 10} tokens/s at 16`);

    const table = dataTable(spec!);
    expect(table.columns).toContain('Highest load within SLO');
    expect(table.rows).toHaveLength(6);
  });

  it('an E2E-only SLO judges E2E alone', async () => {
    const records = sweepRecords({ fast: [20, 60, 300] }, 100);
    const run = await makeRun(records, { loads: LOADS, slo: ['e2e:p95<=400ms'] });
    const spec = sweepSpec(chartData(run, records))!;
    // E2E = TTFT + 3 gaps of 100 ms + 1 ms: 321, 361, 601.
    expect((spec.datasets as Record<string, unknown[]>)['best']).toMatchObject([{ engine: 'fast', level: 4 }]);
    expect(spec.description).toContain('Objectives drawn (dashed rules): E2E p95 <= 400 ms.');
  });

  it('without an SLO draws no rules and rings nothing', async () => {
    const records = sweepRecords({ fast: [20, 60, 300] });
    const spec = sweepSpec(chartData(await makeRun(records, { loads: LOADS }), records))!;
    const datasets = spec.datasets as Record<string, unknown[]>;
    expect(datasets['best']).toEqual([]);
    expect(datasets['slo']).toEqual([]);
    expect(spec.description).toContain('No SLO set.');
  });

  it('is null with fewer than two load levels, and draws a rate sweep separately from a concurrency sweep', async () => {
    const one = [record({ engine: 'a', phase: 'c1', sentMs: 0, ttftMs: 10 })];
    expect(sweepSpec(chartData(await makeRun(one, { loads: LOADS }), one))).toBeNull();

    const records: RequestRecord[] = [];
    ['c1', 'c4', 'r2', 'r5', 'r10'].forEach((phase, i) => records.push(record({ engine: 'a', phase, sentMs: i * 1000, ttftMs: 10 + i }, i)));
    const run = await makeRun(records, {
      loads: {
        ...LOADS,
        r2: { shape: 'poisson', rate: 2 },
        r5: { shape: 'poisson', rate: 5 },
        r10: { shape: 'constant-rate', rate: 10 },
      },
    });
    const data = chartData(run, records);
    expect(sweepKinds(data)).toEqual(['rate', 'concurrency']);
    expect(chartSpecs(data).map((c) => c.id).filter((id) => id.startsWith('sweep'))).toEqual(['sweep', 'sweep-concurrency']);
    const rate = sweepSpec(data, 'rate')!;
    expect(rate.title).toBe('Load sweep: throughput and latency by offered rate');
    expect(axisTitles(rate)).toContain('Offered load (requests/s)');
    expect(rate.description).toContain('(2 requests/s, 5 requests/s and 10 requests/s)');
  });
});
