import { describe, expect, it } from 'vitest';
import type { Headline } from '../../../../site/lib/runs.ts';
import { MAX_TREND_POINTS, thinPoints, trendSpec, type TrendRow } from '../../../../site/lib/charts/trend.ts';
import { compileSpec, renderSvg } from '../../../../site/lib/charts/render.ts';
import type { ChartSpec } from '../../../../site/lib/charts/spec.ts';
import { seriesId, trendChart, trendSeries, trendSpecJson, trendSpecPath, type TrendPoint, type TrendSeries } from '../../../../site/lib/trends.ts';
import { axisTitles, GOLDEN, loadRun } from './helpers.ts';

const EVIL = '<script>alert(1)</script>';
const DAY = 86_400_000;

function point(i: number, status: TrendPoint['status'] = 'completed', headline: Partial<Headline> | null = {}): TrendPoint {
  return {
    runId: `run-${i}`,
    runName: `${EVIL} ${i}`,
    startedAt: new Date(Date.UTC(2025, 5, 1) + i * DAY).toISOString(),
    status,
    engineLabel: EVIL,
    headline: headline === null ? null : { phase: EVIL, ttftP50Ms: 40 + i, e2eP95Ms: 130 + i, outputTokensPerS: 100 - i, successRate: 1, ...headline },
  };
}

function series(points: TrendPoint[]): TrendSeries {
  return { key: 'k', id: 'vllm-m-0123456789', identity: EVIL, kind: 'vllm', version: null, model: EVIL, modelRevision: null, simulated: false, scenarioHash: 'h', scenarioName: EVIL, points };
}

const rows = (spec: ChartSpec): TrendRow[] => spec.datasets!['runs'] as unknown as TrendRow[];
/** Every layer of every panel. */
const layers = (spec: ChartSpec): Array<Record<string, any>> => (spec as { vconcat: Array<{ layer: Array<Record<string, any>> }> }).vconcat.flatMap((p) => p.layer);

describe('trend chart spec', () => {
  it('draws nothing for a lone run, or for runs without a number', () => {
    expect(trendSpec(series([point(0)]))).toBeNull();
    expect(trendSpec(series([point(0, 'partial', null), point(1, 'partial', null)]))).toBeNull();
  });

  it('puts the headline numbers of each run in a panel per metric, with units on every axis', () => {
    const spec = trendSpec(series([point(0), point(1), point(2)]))!;
    expect(spec.title).toBe('Headline numbers over time');
    expect(axisTitles(spec).filter((t, i, all) => all.indexOf(t) === i)).toEqual(['TTFT p50 (ms)', 'E2E p95 (ms)', 'Output (tokens/s)']);
    const panels = (spec as { vconcat: Array<{ layer: Array<{ encoding: { x: { title: string | null; type: string } } }> }> }).vconcat;
    expect(panels).toHaveLength(3);
    // one time axis, titled once, under the last panel
    expect(panels.map((p) => p.layer[0]!.encoding.x.title)).toEqual([null, null, 'Run start time (UTC)']);
    expect(panels[0]!.layer[0]!.encoding.x.type).toBe('temporal');
    expect(rows(spec)).toEqual([
      { runId: 'run-0', startedAt: '2025-06-01T00:00:00.000Z', status: 'completed', ttftP50Ms: 40, e2eP95Ms: 130, outputTokensPerS: 100 },
      { runId: 'run-1', startedAt: '2025-06-02T00:00:00.000Z', status: 'completed', ttftP50Ms: 41, e2eP95Ms: 131, outputTokensPerS: 99 },
      { runId: 'run-2', startedAt: '2025-06-03T00:00:00.000Z', status: 'completed', ttftP50Ms: 42, e2eP95Ms: 132, outputTokensPerS: 98 },
    ]);
    expect(spec.description).toContain('Headline numbers of 3 runs of this engine and scenario, 2025-06-01 00:00 UTC to 2025-06-03 00:00 UTC');
    expect(spec.description).toContain('Every run completed.');
    expect(spec.description).toContain('Latest completed run run-2: TTFT p50 42 ms, E2E p95 132 ms, output 98 tokens/s; against the completed run before it: TTFT p50 +2.4%, E2E p95 +0.8%, output -1.0%.');
  });

  it('keeps every text from the run files out of the spec: run names, labels, models, phases', () => {
    const json = JSON.stringify(trendSpec(series([point(0), point(1, 'failed')])));
    expect(json).not.toContain('<script');
    expect(json).not.toMatch(/https?:|"url"\s*:/);
  });

  it('joins completed runs only, and draws failed, aborted and partial runs as marks of their own', () => {
    const spec = trendSpec(series([point(0), point(1, 'failed', { ttftP50Ms: 900 }), point(2, 'aborted'), point(3), point(4, 'partial', { e2eP95Ms: 400 })]))!;
    const all = layers(spec);
    const lines = all.filter((l) => l['mark'].type === 'line');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line['transform'][0].filter).toContain("datum.status === 'completed'");
    const points = all.filter((l) => l['mark'].type === 'point');
    const shape = points[0]!['encoding'].shape;
    expect(shape.scale).toEqual({ domain: ['completed', 'failed', 'aborted', 'partial'], range: ['circle', 'cross', 'triangle-down', 'diamond'] });
    expect(points[0]!['encoding'].color.scale.domain).toEqual(shape.scale.domain);
    // runs that did not complete are drawn after (over) the completed ones
    expect(points.map((l) => l['transform'][0].filter.includes("datum.status !== 'completed'"))).toEqual([false, true, false, true, false, true]);
    expect(spec.description).toContain('Lines join completed runs only.');
    expect(spec.description).toContain('3 runs did not complete, drawn as marks of their own off the line: run-1 (failed), run-2 (aborted) and run-4 (partial).');
    expect(spec.description).toContain('Latest completed run run-3:');
    expect(spec.description).toContain('against the completed run before it: TTFT p50 +7.5%');
  });

  it('marks a run without a number with a dashed rule, and leaves out a metric no run has', () => {
    const spec = trendSpec(series([point(0, 'completed', { ttftP50Ms: null }), point(1, 'failed', { ttftP50Ms: null, e2eP95Ms: null }), point(2, 'partial', null), point(3, 'completed', { ttftP50Ms: null })]))!;
    expect(axisTitles(spec).filter((t, i, all) => all.indexOf(t) === i)).toEqual(['E2E p95 (ms)', 'Output (tokens/s)']);
    const rules = layers(spec).filter((l) => l['mark'].type === 'rule');
    expect(rules.map((r) => r['transform'][0].filter)).toEqual(['!isValid(datum.e2eP95Ms)', '!isValid(datum.outputTokensPerS)']);
    expect(rules[0]!['mark'].strokeDash).toBeDefined();
    expect(spec.description).toContain('A dashed vertical line in its status colour marks a run without a number: no numbers at all for run-2; no E2E p95 for run-1.');
    expect(spec.description).not.toContain('TTFT');
  });

  it('thins a series longer than the cap evenly, keeping the ends and the runs that did not complete, and says so', () => {
    const n = MAX_TREND_POINTS * 2 + 500;
    const points = Array.from({ length: n }, (_, i) => point(i, i % 100 === 7 ? 'failed' : 'completed'));
    const spec = trendSpec(series(points))!;
    const drawn = rows(spec);
    expect(drawn).toHaveLength(MAX_TREND_POINTS);
    expect(drawn[0]!.runId).toBe('run-0');
    expect(drawn.at(-1)!.runId).toBe(`run-${n - 1}`);
    expect(drawn.filter((r) => r.status === 'failed')).toHaveLength(n / 100);
    const index = drawn.map((r) => Number(r.runId.slice(4)));
    expect([...index].sort((a, b) => a - b)).toEqual(index);
    expect(new Set(index).size).toBe(index.length);
    // evenly: no gap between drawn completed runs much wider than the average
    const gaps = index.slice(1).map((v, i) => v - index[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4);
    expect(spec.description).toContain(`${MAX_TREND_POINTS} of the ${n} runs are drawn, thinned evenly keeping the first, the last and every run that did not complete; the series table on the Trends page lists them all.`);
    expect(spec.description).toContain(`Headline numbers of ${n} runs`);
    expect(spec.description).toContain('25 runs did not complete, drawn as marks of their own off the line: run-7 (failed), run-107 (failed), run-207 (failed), run-307 (failed), run-407 (failed), run-507 (failed) and 19 more.');
  });

  it('leaves a series within the cap whole, and spreads what it keeps of a longer one', () => {
    const points = Array.from({ length: MAX_TREND_POINTS }, (_, i) => ({ status: 'completed' as const, i }));
    expect(thinPoints(points)).toEqual(points);
    // the ends, then the middle of each of eight equal stretches of the runs between them
    expect(thinPoints(points, 10).map((p) => p.i)).toEqual([0, 63, 188, 312, 437, 562, 687, 811, 936, 999]);
  });
});

describe('trend chart SVG', () => {
  it('renders an accessible SVG with no root style, and its spec as JSON without table meta-data', async () => {
    const s = series([point(0), point(1, 'failed'), point(2)]);
    expect(compileSpec(trendSpec(s)!).warnings).toEqual([]);
    const chart = (await trendChart(s))!;
    expect(chart.title).toBe('Headline numbers over time');
    expect(chart.svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="trend-vllm-m-0123456789-title"/);
    expect(chart.svg).not.toMatch(/^<svg[^>]*\sstyle=/);
    expect(chart.svg).toContain('<title id="trend-vllm-m-0123456789-title">Headline numbers over time</title>');
    expect(chart.svg).not.toContain('<script');
    for (const text of ['TTFT p50 (ms)', 'E2E p95 (ms)', 'Output (tokens/s)', 'Run start time (UTC)', 'Run status', 'failed']) expect(chart.svg, text).toContain(`>${text}</text>`);
    const json = JSON.parse(trendSpecJson(s)!) as Record<string, unknown>;
    expect(json['usermeta']).toBeUndefined();
    expect(json['vconcat']).toHaveLength(3);
    expect(await trendChart(series([point(0)]))).toBeNull();
    expect(trendSpecJson(series([point(0)]))).toBeNull();
  });

  it('renders a series of a thousand runs without warnings', async () => {
    const spec = trendSpec(series(Array.from({ length: MAX_TREND_POINTS }, (_, i) => point(i, i % 50 === 3 ? 'aborted' : 'completed'))))!;
    expect(compileSpec(spec).warnings).toEqual([]);
    const svg = await renderSvg(spec, { id: 'long' });
    expect(svg.match(/<title\b/g)).toHaveLength(1);
    // a point per run per panel: the SVG stays well under a megabyte
    expect(svg.length).toBeLessThan(1_000_000);
  });
});

describe('series ids', () => {
  it('are file-safe, stable, and tell series apart', async () => {
    const { run } = await loadRun(GOLDEN);
    const [a, b] = trendSeries([run]);
    expect(a!.id).toMatch(/^[a-z0-9-]+-[0-9a-f]{10}$/);
    expect(new Set([a!.id, b!.id]).size).toBe(2);
    expect(trendSeries([run]).map((s) => s.id)).toEqual([a!.id, b!.id]);
    expect(seriesId('vllm', 'meta-llama/Llama-3.1-8B-Instruct', 'k')).toBe(seriesId('vllm', 'meta-llama/Llama-3.1-8B-Instruct', 'k'));
    expect(seriesId('vllm', EVIL, 'k1')).not.toBe(seriesId('vllm', EVIL, 'k2'));
    expect(seriesId('vllm', 'x'.repeat(200), 'k').length).toBeLessThanOrEqual(51);
    expect(seriesId('vllm', EVIL, 'k')).toMatch(/^vllm-script-alert-1-script-[0-9a-f]{10}$/);
    expect(trendSpecPath(a!.id)).toBe(`trends/${a!.id}.vl.json`);
  });
});
