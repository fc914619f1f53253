import { describe, expect, it } from 'vitest';
import { runCharts } from '../../../../site/lib/charts/index.ts';
import { demoRunDir, loadRun } from './helpers.ts';

describe('the committed demo run', () => {
  it('renders all its charts', async () => {
    const { run, records } = await loadRun(demoRunDir());
    const started = performance.now();
    const charts = await runCharts(run, records);
    const elapsed = performance.now() - started;
    expect(charts.map((c) => c.id)).toEqual([
      'ttft-distribution',
      'e2e-distribution',
      'sweep',
      'ttft-timeline',
      'itl-histogram',
      'output-rate',
      'server-series',
    ]);
    for (const chart of charts) {
      expect(chart.svg).toMatch(/^<svg[^>]* role="img"/);
      expect(chart.svg.length).toBeLessThan(200_000);
    }
    // A generous bound: this is a smoke check that rendering completes, not a benchmark.
    expect(elapsed).toBeLessThan(20_000);
  });
});
