// The scorecard and its words, over the slo-sweep sample run.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import { marginText, objectiveLabel, scorecard, thresholdText } from '../../../../site/lib/executive/verdicts.ts';
import { failureCallouts } from '../../../../site/lib/executive/failures.ts';
import { failureReasons } from '../../../../site/lib/executive/recommendations.ts';
import { readRequests } from '../../../../collector/store/read-run.ts';
import type { RequestRecord } from '../../../../collector/store/schema/index.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/runs/', import.meta.url));

describe('scorecard', () => {
  it('has a row per engine and load level with every objective judged, from run.json', async () => {
    const run = await readRun(`${FIXTURES}slo-sweep`);
    const card = scorecard(run)!;
    expect(card.objectives.map((o) => o.text)).toEqual(run.slo!.objectives.map((o) => o.text));
    expect(card.rows).toHaveLength(8);
    // load levels first, engines within them
    expect(card.rows.map((r) => `${r.phase}:${r.engine}`).slice(0, 4)).toEqual(['c1:vllm-sim', 'c1:tgi-sim', 'c8:vllm-sim', 'c8:tgi-sim']);
    const row = card.rows.find((r) => r.engine === 'tgi-sim' && r.phase === 'c32')!;
    const phase = run.engines[1]!.phases[2]!;
    expect(row.verdict).toBe(phase.slo!.verdict);
    expect(row.cells.map((c) => c.verdict)).toEqual(phase.slo!.verdicts.map((v) => v.verdict));
    const ttft = row.cells[0]!;
    expect(ttft.measured).toBe(`${phase.slo!.verdicts[0]!.measured!.toFixed(1)} ms`);
  });

  it('is null for a run without objectives', async () => {
    expect(scorecard(await readRun(`${FIXTURES}golden`))).toBeNull();
  });

  it('writes objectives and margins in words', () => {
    const ttft = { text: 'ttft:p95<1s', metric: 'ttft', stat: 'p95', op: '<', value: 1000, perRequest: true } as const;
    expect(objectiveLabel(ttft)).toBe('TTFT p95 under 1000 ms');
    expect(objectiveLabel({ text: 'error_rate<=0.5%', metric: 'error_rate', stat: null, op: '<=', value: 0.005, perRequest: false })).toBe('error rate at most 0.5%');
    expect(thresholdText('requests_per_s', 2)).toBe('2 requests/s');
    expect(marginText(ttft, 0.25)).toBe('25.0% headroom');
    expect(marginText(ttft, -0.1)).toBe('10.0% over the limit');
    expect(marginText({ ...ttft, op: '>' }, -0.1)).toBe('10.0% short');
    expect(marginText(ttft, null)).toBeNull();
  });
});

describe('failure call-outs', () => {
  it('says every request to an engine failed, with the engine\u2019s own message', async () => {
    const dir = `${FIXTURES}all-failed`;
    const run = await readRun(dir);
    const records: RequestRecord[] = [];
    for await (const r of readRequests(dir)) records.push(r);
    const [callout, ...rest] = failureCallouts(run.engines, failureReasons(records));
    expect(rest).toEqual([]);
    expect(callout!.headline).toBe('every request to ollama-sim failed (60 of 60)');
    expect(callout!.messages[0]).toMatchObject({ count: 60, message: expect.stringMatching(/HTTP 404.*model 'llama3\.1:70b' not found/) });
  });

  it('counts by kind from run.json when the records say nothing more', async () => {
    const run = await readRun(`${FIXTURES}golden`);
    const callouts = failureCallouts(run.engines, []);
    expect(callouts.map((c) => [c.severity, c.headline])).toEqual([
      ['some', '1 of 3 requests to vllm-a failed (33.3%)'],
      ['some', '1 of 3 requests to ollama-b failed (33.3%)'],
    ]);
    expect(callouts[0]!.kinds).toEqual([{ kind: 'http_429', count: 1 }]);
  });
});
