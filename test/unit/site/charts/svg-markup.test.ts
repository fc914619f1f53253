// The chart SVGs the site inlines: whatever an engine or a run calls itself (labels, model names,
// versions, error messages, answers), the charts module writes only markup the derived-data cache
// accepts (site/lib/charts/svg-markup.ts), and every payload in it is text.
import { describe, expect, it } from 'vitest';
import type { RequestRecord, Run } from '../../../../collector/store/schema/index.ts';
import { chartsFor } from '../../../../site/lib/report/site-charts.ts';
import { svgMarkupProblem } from '../../../../site/lib/charts/svg-markup.ts';
import { trendChart, type TrendPoint, type TrendSeries } from '../../../../site/lib/trends.ts';
import { demoRunDir, GOLDEN, loadRun } from './helpers.ts';

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '"onload="alert(1)';
const PAYLOAD = `${SCRIPT} ${ATTRIBUTE} <img src=x onerror=alert(1)>`;

/** Fails with the reason when the SVG is not inlinable markup, or when a payload is in it raw. */
function expectInert(svg: string, where: string): void {
  expect(svgMarkupProblem(svg), where).toBeNull();
  expect(svg, where).not.toContain('<script');
  expect(svg, where).not.toContain('<img');
  expect(svg, where).not.toMatch(/\son[a-z]+="/i);
}

/** The golden run with the payload in everything an engine or a user names. */
function hostile(run: Run, records: RequestRecord[]): { run: Run; records: RequestRecord[] } {
  const evil = structuredClone(run);
  const from = evil.engines[0]!.label;
  const label = `${from} ${PAYLOAD}`;
  evil.name = PAYLOAD;
  evil.engines[0]!.label = label;
  evil.engines[0]!.model = `model ${PAYLOAD}`;
  evil.engines[0]!.info.version = `0.6 ${PAYLOAD}`;
  evil.engines[0]!.info.model = `served ${PAYLOAD}`;
  evil.engines[0]!.info.raw = { version: PAYLOAD, [PAYLOAD]: PAYLOAD };
  for (const phase of evil.engines[0]!.phases) phase.name = `${phase.name} ${PAYLOAD}`;
  const phases = new Map(run.engines[0]!.phases.map((p, i) => [p.name, evil.engines[0]!.phases[i]!.name]));
  const evilRecords = records.map((r) =>
    r.engine === from
      ? {
          ...r,
          engine: label,
          phase: phases.get(r.phase) ?? r.phase,
          text: `${r.text} ${PAYLOAD}`,
          error: r.error === null ? null : { ...r.error, message: `${r.error.message} ${PAYLOAD}` },
        }
      : r,
  );
  return { run: evil, records: evilRecords };
}

describe('chart SVG markup', () => {
  it('accepts every chart of the golden and demo runs', async () => {
    for (const dir of [GOLDEN, demoRunDir()]) {
      const { run, records } = await loadRun(dir);
      const charts = await chartsFor(run, records);
      expect(charts.length).toBeGreaterThan(3);
      for (const chart of charts) expectInert(chart.svg, `${dir} ${chart.id}`);
    }
  });

  it('keeps engine labels, models, versions, phase names and messages as text in every run chart', async () => {
    const loaded = await loadRun(GOLDEN);
    const { run, records } = hostile(loaded.run, loaded.records);
    const charts = await chartsFor(run, records);
    expect(charts.length).toBeGreaterThan(3);
    for (const chart of charts) expectInert(chart.svg, chart.id);
    // the label is drawn (legends, panel titles), escaped
    expect(charts.some((c) => c.svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))).toBe(true);
  });

  it('keeps the series names of a trend chart as text', async () => {
    const point = (i: number): TrendPoint => ({
      runId: `run-${i}`,
      runName: PAYLOAD,
      startedAt: new Date(Date.UTC(2025, 5, 1 + i)).toISOString(),
      status: 'completed',
      engineLabel: PAYLOAD,
      headline: { phase: PAYLOAD, ttftP50Ms: 40 + i, e2eP95Ms: 130 + i, outputTokensPerS: 100 - i, successRate: 1 },
      phases: [{ phase: PAYLOAD, ttftP50Ms: 40 + i, e2eP95Ms: 130 + i, outputTokensPerS: 100 - i, successRate: 1 }],
    });
    const series: TrendSeries = {
      key: 'k',
      id: 'vllm-m-0123456789',
      identity: PAYLOAD,
      kind: 'vllm',
      version: PAYLOAD,
      model: PAYLOAD,
      modelRevision: PAYLOAD,
      simulated: false,
      scenarioHash: 'h',
      scenarioName: PAYLOAD,
      points: [point(0), point(1), point(2)],
    };
    const chart = (await trendChart(series))!;
    expectInert(chart.svg, 'trend');
  });
});
