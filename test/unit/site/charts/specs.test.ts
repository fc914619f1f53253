import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../../collector/store/schema/index.ts';
import type { ChartData } from '../../../../site/lib/charts/data.ts';
import { chartData } from '../../../../site/lib/charts/data.ts';
import { e2eDistributionSpec } from '../../../../site/lib/charts/e2e-distribution.ts';
import { errorsOverTimeSpec } from '../../../../site/lib/charts/errors-over-time.ts';
import { ms, num, perS } from '../../../../site/lib/charts/format.ts';
import { chartSpecs } from '../../../../site/lib/charts/index.ts';
import { itlHistogramSpec } from '../../../../site/lib/charts/itl-histogram.ts';
import { outputRateSpec } from '../../../../site/lib/charts/output-rate.ts';
import { serverSeriesSpec } from '../../../../site/lib/charts/server-series.ts';
import type { ChartSpec } from '../../../../site/lib/charts/spec.ts';
import { ENGINE_PALETTE } from '../../../../site/lib/charts/palette.ts';
import { ttftDistributionSpec } from '../../../../site/lib/charts/ttft-distribution.ts';
import { ttftTimelineSpec } from '../../../../site/lib/charts/ttft-timeline.ts';
import { axisTitles, GOLDEN, loadRun, makeRun, record } from './helpers.ts';

/** Two engines, two phases each, a failure, a warm-up request and server gauges on alpha. */
async function handMade(): Promise<ChartData> {
  const records: RequestRecord[] = [];
  let seq = 0;
  const add = (engine: string, phase: string, sentMs: number, ttftMs: number, gapsMs: number[]): void => {
    records.push(record({ engine, phase, sentMs, ttftMs, gapsMs }, seq++));
  };
  records.push(record({ engine: 'alpha', phase: 'c1', sentMs: 0, ttftMs: 800, warmup: true }, seq++));
  for (let i = 0; i < 10; i++) add('alpha', 'c1', 100 + i * 200, 20 + i, [10, 12, 11]);
  for (let i = 0; i < 10; i++) add('alpha', 'c4', 2100 + i * 50, 60 + 2 * i, [14, 15, 16]);
  for (let i = 0; i < 10; i++) add('beta', 'c1', 3000 + i * 200, 40 + i, [20, 21, 22]);
  for (let i = 0; i < 10; i++) add('beta', 'c4', 5000 + i * 50, 100 + 3 * i, [25, 26, 300]);
  records.push(record({ engine: 'beta', phase: 'c4', sentMs: 5200, errorKind: 'http_429' }, seq++));
  records.push(record({ engine: 'beta', phase: 'c4', sentMs: 5300, errorKind: 'timeout_ttft' }, seq++));
  records.push(record({ engine: 'beta', phase: 'c4', sentMs: 5350, errorKind: 'http_429' }, seq++));
  const run = await makeRun(records, {
    loads: { c1: { shape: 'closed-loop', concurrency: 1 }, c4: { shape: 'closed-loop', concurrency: 4 } },
    slo: ['ttft:p95<=100ms'],
    server: {
      alpha: {
        running: [[0, 0], [1000, 1], [2500, 4], [3000, 0]],
        waiting: [[0, 0], [2500, 2], [3000, 0]],
        kvCacheUsage: [[0, 0], [2500, 0.42], [3000, 0.1]],
      },
    },
  });
  return chartData(run, records);
}

function expectWellFormed(spec: ChartSpec | null, title: string): asserts spec is ChartSpec {
  expect(spec).not.toBeNull();
  expect(spec!.title).toBe(title);
  expect(typeof spec!.description).toBe('string');
  expect(spec!.description!.length).toBeGreaterThan(40);
  const titles = axisTitles(spec);
  expect(titles.length).toBeGreaterThan(0);
  for (const axis of titles) expect(axis, axis).toMatch(/\((ms|s|%|tokens\/s|requests|requests\/s|count|requests in flight)(, log scale)?\)/);
  const json = JSON.stringify(spec);
  expect(json).not.toMatch(/https?:/);
  expect(json).not.toMatch(/"url"\s*:/);
}

describe('chart specs on a hand-made run', () => {
  it('TTFT distribution: ECDF and boxes per engine and phase, key numbers in the description', async () => {
    const data = await handMade();
    const spec = ttftDistributionSpec(data);
    expectWellFormed(spec, 'Time to first token');
    const alpha = data.ttft.engines.find((s) => s.engine === 'alpha')!;
    const beta = data.ttft.engines.find((s) => s.engine === 'beta')!;
    expect(alpha.count).toBe(20);
    expect(beta.count).toBe(20);
    // Medians per load level, never pooled across them, and no engine called fastest without its interval.
    const at = (engine: string, phase: string) => data.ttft.phases.find((s) => s.engine === engine && s.phase === phase)!;
    expect(alpha.p50).not.toBe(at('alpha', 'c1').p50);
    expect(spec.description).not.toContain(`alpha ${ms(alpha.p50)} and`);
    expect(spec.description).toContain(
      `c1 (concurrency 1): alpha ${ms(at('alpha', 'c1').p50)} and ${ms(at('alpha', 'c1').p95)}, beta ${ms(at('beta', 'c1').p50)} and ${ms(at('beta', 'c1').p95)}; c4 (concurrency 4): alpha`,
    );
    expect(spec.description).toContain('40 successful requests');
    expect(spec.description).not.toMatch(/lowest|fastest|best/);
    expect(spec.description).toContain('warm-up excluded');
    expect((spec.datasets!['boxes'] as Array<{ group: string }>).map((b) => b.group)).toEqual(['alpha · c1', 'alpha · c4', 'beta · c1', 'beta · c4']);
    expect(JSON.stringify(spec)).not.toContain('800');
  });

  it('E2E distribution and output rate name their units and numbers', async () => {
    const data = await handMade();
    const e2e = e2eDistributionSpec(data);
    expectWellFormed(e2e, 'End-to-end latency');
    expect(e2e.description).toContain(ms(data.e2e.phases[0]!.p50));
    const rate = outputRateSpec(data);
    expectWellFormed(rate, 'Output rate per request');
    expect(axisTitles(rate)).toContain('Output rate per request (tokens/s)');
    const alphaC4 = data.outputRate.phases.find((s) => s.engine === 'alpha' && s.phase === 'c4')!;
    expect(rate.description).toContain(`c4 (concurrency 4): alpha ${perS(alphaC4.p50)}`);
    expect(rate.description).toContain('Higher is better.');
    expect(rate.description).not.toContain('highest median');
  });

  it('ITL histogram: shared bins, median and p99 per engine, the long tail counted', async () => {
    const data = await handMade();
    const spec = itlHistogramSpec(data);
    expectWellFormed(spec, 'Inter-token latency');
    expect(spec.description).toContain('120 gaps');
    for (const s of data.itl.engines) expect(spec.description).toContain(`${s.engine} ${ms(s.p50)} and ${ms(s.p99)}`);
    // beta's 300 ms stalls lie far beyond p99 of the pooled gaps... or are binned: either way they are accounted for.
    const binned = data.itl.bins.reduce((sum, b) => sum + b.count, 0);
    const beyond = data.itl.beyond.reduce((sum, b) => sum + b.count, 0);
    expect(binned + beyond).toBe(120);
  });

  it('TTFT timeline: every request at its send time with a rolling median', async () => {
    const data = await handMade();
    const spec = ttftTimelineSpec(data);
    expectWellFormed(spec, 'Time to first token over the run');
    expect(spec.description).toContain('40 successful requests');
    expect(spec.description).toContain(`rolling median over its last ${data.timeline.window} requests`);
    expect(spec.description).toContain('beta median');
    expect(spec.description).toContain(`slowest ${ms(127)}`);
    expect(data.timeline.median.length).toBeGreaterThan(0);
  });

  it('server series: running, waiting and KV cache per engine, peaks described', async () => {
    const data = await handMade();
    const spec = serverSeriesSpec(data);
    expectWellFormed(spec, 'Server metrics over the run');
    expect(axisTitles(spec)).toEqual(expect.arrayContaining(['Running (requests)', 'Waiting (requests)', 'KV cache use (%)', 'Time since run start (s)']));
    expect(spec.description).toContain('running peak 4 at 2.5 s');
    expect(spec.description).toContain('KV cache use peak 42 % at 2.5 s');
    expect(spec.description).toContain('No server metrics from beta');
  });

  it('errors over time: failures by kind and engine', async () => {
    const data = await handMade();
    const spec = errorsOverTimeSpec(data);
    expectWellFormed(spec, 'Failed requests over the run');
    expect(spec.description).toContain('3 of 43 measured requests failed (7 %)');
    expect(spec.description).toContain('http_429 2 (beta 2); timeout_ttft 1 (beta 1)');
    expect(spec.description).toContain('No failures for alpha');
  });

  it('colours engines with the fixed palette in run order', async () => {
    const data = await handMade();
    const json = JSON.stringify(ttftDistributionSpec(data));
    expect(json).toContain(JSON.stringify({ domain: ['alpha', 'beta'], range: ENGINE_PALETTE.slice(0, 2) }));
  });
});

describe('null when a run has no data for a chart', () => {
  it('all requests failed: only the errors chart remains', async () => {
    const records = [0, 1, 2].map((i) => record({ engine: 'solo', sentMs: i * 100, errorKind: 'connection_refused' }, i));
    const data = chartData(await makeRun(records), records);
    expect(ttftDistributionSpec(data)).toBeNull();
    expect(e2eDistributionSpec(data)).toBeNull();
    expect(outputRateSpec(data)).toBeNull();
    expect(itlHistogramSpec(data)).toBeNull();
    expect(ttftTimelineSpec(data)).toBeNull();
    expect(serverSeriesSpec(data)).toBeNull();
    expect(chartSpecs(data).map((c) => c.id)).toEqual(['errors-over-time']);
    expect(errorsOverTimeSpec(data)!.description).toContain('connection_refused 3 (solo 3)');
  });

  it('single-chunk answers have no ITL and no output rate; no failures, no errors chart', async () => {
    const records = [0, 1].map((i) => record({ engine: 'solo', sentMs: i * 100, ttftMs: 30, gapsMs: [] }, i));
    const data = chartData(await makeRun(records), records);
    expect(itlHistogramSpec(data)).toBeNull();
    expect(outputRateSpec(data)).toBeNull();
    expect(errorsOverTimeSpec(data)).toBeNull();
    expect(ttftDistributionSpec(data)).not.toBeNull();
  });
});

describe('chart specs on the golden fixture', () => {
  it('builds the distribution, timeline, ITL, output-rate and error charts; no sweep or server chart', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const data = chartData(run, records);
    expect(chartSpecs(data).map((c) => c.id)).toEqual(['ttft-distribution', 'e2e-distribution', 'ttft-timeline', 'itl-histogram', 'output-rate', 'errors-over-time']);
    const ttft = ttftDistributionSpec(data);
    expectWellFormed(ttft, 'Time to first token');
    for (const engine of run.engines) {
      const stats = data.ttft.engines.find((s) => s.engine === engine.label)!;
      expect(Math.abs(stats.p50 - engine.phases[0]!.ttftMs.p50!)).toBeLessThanOrEqual(0.051);
      expect(ttft.description).toContain(`${engine.label} ${ms(stats.p50)}`);
    }
    expect(ttft.description).not.toContain('lowest median');
    expectWellFormed(e2eDistributionSpec(data), 'End-to-end latency');
    expectWellFormed(ttftTimelineSpec(data), 'Time to first token over the run');
    const itl = itlHistogramSpec(data);
    expectWellFormed(itl, 'Inter-token latency');
    expect(itl.description).toContain(`${num(28)} gaps`);
    expectWellFormed(outputRateSpec(data), 'Output rate per request');
    const errors = errorsOverTimeSpec(data);
    expectWellFormed(errors, 'Failed requests over the run');
    expect(errors.description).toContain('2 of 6 measured requests failed');
    expect(errors.description).toContain('http_429 2 (vllm-a 1, ollama-b 1)');
  });
});
