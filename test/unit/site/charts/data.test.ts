import { describe, expect, it } from 'vitest';
import { chartData, chartDataAsync, downsample, loadLevel, MAX_ROWS, medianWindow, sloOf } from '../../../../site/lib/charts/data.ts';
import { GOLDEN, loadRun, makeRun, record } from './helpers.ts';

/** Equal after rounding to 0.1. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.05 + 1e-9);
}

describe('downsample', () => {
  it('returns a short list whole, in order', () => {
    expect(downsample([3, 1, 2], 5, [(v) => v])).toEqual([3, 1, 2]);
  });

  it('caps the rows and keeps the first, the last and each key extreme, in order', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ i, v: Math.sin(i) * 100 + (i === 4321 ? 1e6 : 0) - (i === 777 ? 1e6 : 0) }));
    const kept = downsample(items, 500, [(item) => item.v]);
    expect(kept.length).toBeLessThanOrEqual(500);
    expect(kept.length).toBeGreaterThan(400);
    const indexes = kept.map((item) => item.i);
    expect(indexes).toContain(0);
    expect(indexes).toContain(9_999);
    expect(indexes).toContain(4321);
    expect(indexes).toContain(777);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    expect(downsample(items, 500, [(item) => item.v])).toEqual(kept);
  });

  it('ignores null keys', () => {
    const items = Array.from({ length: 100 }, (_, i) => (i === 50 ? null : i));
    const kept = downsample(items, 10, [(v) => v]);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept).toContain(0);
    expect(kept).toContain(99);
  });
});

describe('loadLevel and sloOf', () => {
  it('reads concurrency, rate and sequential; ramps have no level', () => {
    expect(loadLevel({ shape: 'closed-loop', concurrency: 8 })).toEqual({ kind: 'concurrency', level: 8 });
    expect(loadLevel({ shape: 'sequential' })).toEqual({ kind: 'concurrency', level: 1 });
    expect(loadLevel({ shape: 'poisson', rate: 2.5 })).toEqual({ kind: 'rate', level: 2.5 });
    expect(loadLevel({ shape: 'constant-rate', rate: 4 })).toEqual({ kind: 'rate', level: 4 });
    expect(loadLevel({ shape: 'ramp', of: 'rate', from: 1, to: 5 })).toBeNull();
  });

  it('draws the objectives on what the sweep plots (TTFT and E2E at p50 and p95) and lists every one', () => {
    const objective = (text: string, metric: 'ttft' | 'e2e' | 'itl' | 'error_rate', stat: 'p50' | 'p95' | 'p99' | null, value: number) =>
      ({ text, metric, stat, op: '<' as const, value, perRequest: metric !== 'itl' && metric !== 'error_rate' });
    const slo = sloOf({
      slo: {
        source: 'command line',
        objectives: [
          objective('ttft:p95<200ms', 'ttft', 'p95', 200),
          objective('e2e:p50<1.5s', 'e2e', 'p50', 1500),
          objective('e2e:p99<3s', 'e2e', 'p99', 3000),
          objective('itl:p95<50ms', 'itl', 'p95', 50),
          objective('error_rate<1%', 'error_rate', null, 0.01),
        ],
      },
    });
    expect(slo.set).toBe(true);
    expect(slo.rules).toEqual([
      { metric: 'ttft', stat: 'p95', ms: 200, label: 'SLO: TTFT p95 < 200 ms' },
      { metric: 'e2e', stat: 'p50', ms: 1500, label: 'SLO: E2E p50 < 1500 ms' },
    ]);
    expect(slo.objectives).toEqual(['ttft:p95<200ms', 'e2e:p50<1.5s', 'e2e:p99<3s', 'itl:p95<50ms', 'error_rate<1%']);
    expect(sloOf({ slo: null })).toEqual({ set: false, rules: [], objectives: [] });
  });

  it('sizes the rolling median window between 3 and 51, odd', () => {
    expect(medianWindow(0)).toBe(3);
    expect(medianWindow(100)).toBe(11);
    expect(medianWindow(100_000)).toBe(51);
  });
});

describe('chartData', () => {
  it('leaves warm-up requests out of every distribution and the timeline', async () => {
    const records = [
      record({ engine: 'a', sentMs: 0, ttftMs: 9999, warmup: true }, 0),
      record({ engine: 'a', sentMs: 100, ttftMs: 20 }, 1),
      record({ engine: 'a', sentMs: 200, ttftMs: 30 }, 2),
    ];
    const data = chartData(await makeRun(records), records);
    expect(data.requestCount).toBe(2);
    expect(data.ttft.engines[0]).toMatchObject({ count: 2, min: 20, max: 30 });
    expect(data.ttft.ecdf.map((r) => r.value)).not.toContain(9999);
    expect(data.timeline.points.map((p) => p.ttftMs)).toEqual([20, 30]);
    expect(data.requests.every((r) => r.ttftMs !== 9999)).toBe(true);
  });

  it('rounds latencies to 0.1 ms and times to 0.1 ms in seconds', async () => {
    const records = [record({ engine: 'a', sentMs: 1234.5678, ttftMs: 12.3456, gapsMs: [10.04, 10.06] })];
    const data = chartData(await makeRun(records), records);
    expect(data.requests[0]).toMatchObject({ sentS: 1.2346, ttftMs: 12.3, e2eMs: 33.4, status: 'ok', errorKind: null });
    expect(data.itl.engines[0]).toMatchObject({ min: 10, max: 10.1 });
  });

  it('matches the golden run summaries and counts its failures by kind', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const data = await chartDataAsync(run, records);
    expect(data.engines).toEqual(['vllm-a', 'ollama-b']);
    for (const engine of run.engines) {
      const summary = engine.phases[0]!;
      const stats = data.ttft.engines.find((s) => s.engine === engine.label)!;
      expect(stats.count).toBe(summary.ttftMs.count);
      expectNear(stats.p50, summary.ttftMs.p50!);
      expectNear(stats.p95, summary.ttftMs.p95!);
      expectNear(data.e2e.engines.find((s) => s.engine === engine.label)!.p50, summary.e2eMs.p50!);
      expect(data.itl.engines.find((s) => s.engine === engine.label)!.count).toBe(summary.itlMs.count);
    }
    expect(data.errors.failed).toBe(2);
    expect(data.errors.totals).toEqual([
      { engine: 'vllm-a', kind: 'http_429', count: 1 },
      { engine: 'ollama-b', kind: 'http_429', count: 1 },
    ]);
    expect(data.requests.filter((r) => r.status === 'error').map((r) => r.errorKind)).toEqual(['http_429', 'http_429']);
    expect(data.sweep).toHaveLength(2);
    expect(data.server).toEqual([]);
  });

  it('keeps every chart within MAX_ROWS on a large run, with the extremes', async () => {
    const records = [];
    let seq = 0;
    for (const engine of ['a', 'b', 'c']) {
      for (let i = 0; i < 4000; i++) {
        const ttftMs = engine === 'a' && i === 2345 ? 5000 : engine === 'b' && i === 17 ? 1 : 20 + ((i * 37) % 100);
        records.push(record({ engine, sentMs: i * 10, ttftMs, gapsMs: [10, 11, 12, 13 + (i % 7)], ...(i % 500 === 3 ? { errorKind: 'timeout_ttft' as const } : {}) }, seq++));
      }
    }
    const points = Array.from({ length: 5000 }, (_, i): [number, number] => [i * 10, i === 4000 ? 99 : i % 5]);
    const run = await makeRun(records, { server: { a: { running: points, waiting: points, kvCacheUsage: points }, b: { running: points } } });
    const data = chartData(run, records);
    expect(data.requests.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.ttft.ecdf.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.e2e.ecdf.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.timeline.points.length + data.timeline.median.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.server.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.itl.bins.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(data.errors.bins.length).toBeLessThanOrEqual(MAX_ROWS);
    // Extremes survive the thinning.
    expect(data.ttft.ecdf.filter((r) => r.engine === 'a').map((r) => r.value)).toContain(5000);
    expect(data.ttft.ecdf.filter((r) => r.engine === 'b').map((r) => r.value)).toContain(1);
    expect(data.timeline.points.map((p) => p.ttftMs)).toContain(5000);
    expect(data.requests.map((r) => r.ttftMs)).toContain(5000);
    expect(data.server.filter((p) => p.engine === 'a' && p.series === 'running').map((p) => p.value)).toContain(99);
    expect(data.server.filter((p) => p.series === 'kvCacheUsage').map((p) => p.value)).toContain(9900);
    // The statistics come from every value, not the thinned ones.
    expect(data.ttft.engines.find((s) => s.engine === 'a')).toMatchObject({ count: 3992, max: 5000 });
    expect(data.errors.failed).toBe(24);
    // The ECDF ends at 100 % and starts from 0 %.
    const a = data.ttft.ecdf.filter((r) => r.engine === 'a');
    expect(a[0]!.share).toBe(0);
    expect(a[a.length - 1]).toEqual({ engine: 'a', value: 5000, share: 100 });
  });
});
