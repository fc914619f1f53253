import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import type { Headline } from '../../../../site/lib/runs.ts';
import { MAX_TREND_POINTS, thinPoints, trendSpec, type TrendRow } from '../../../../site/lib/charts/trend.ts';
import { compileSpec, renderSvg } from '../../../../site/lib/charts/render.ts';
import type { ChartSpec } from '../../../../site/lib/charts/spec.ts';
import { seriesId, trendChart, trendSeries, trendSpecJson, trendSpecPath, type TrendPoint, type TrendSeries } from '../../../../site/lib/trends.ts';
import { signedPercent } from '../../../../site/lib/format.ts';
import { phaseChanges, relativeChange } from '../../../../site/lib/trend-change.ts';
import { axisTitles, GOLDEN, loadRun } from './helpers.ts';

const EVIL = '<script>alert(1)</script>';
const DAY = 86_400_000;

/** Run i of a series, a day after run i − 1 (or `at` ms after the first), with one phase: its headline. */
function point(i: number, status: TrendPoint['status'] = 'completed', headline: Partial<Headline> | null = {}, at = i * DAY): TrendPoint {
  const h = headline === null ? null : { phase: EVIL, ttftP50Ms: 40 + i, e2eP95Ms: 130 + i, outputTokensPerS: 100 - i, successRate: 1, ...headline };
  return {
    runId: `run-${i}`,
    runName: `${EVIL} ${i}`,
    startedAt: new Date(Date.UTC(2025, 5, 1) + at).toISOString(),
    status,
    engineLabel: EVIL,
    headline: h,
    phases: h === null ? [] : [h],
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
    expect(spec.description).toContain('Latest completed run run-2: TTFT p50 42 ms, E2E p95 132 ms, output 98 tokens/s; against run-1, the completed run before it at the same load level: TTFT p50 +2.4%, E2E p95 +0.8%, output -1.0%.');
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
    expect(spec.description).toContain('against run-0, the completed run before it at the same load level: TTFT p50 +7.5%');
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

/** The y domain of each panel, as Vega computes it from the data. */
async function yDomains(spec: ChartSpec): Promise<number[][]> {
  const view = new vega.View(vega.parse(compileSpec(spec).vega), { renderer: 'none' });
  await view.runAsync();
  const panels = (spec as { vconcat: unknown[] }).vconcat.length;
  const domains = Array.from({ length: panels }, (_, i) => view.scale(`concat_${i}_y`).domain() as number[]);
  view.finalize();
  return domains;
}

describe('trend chart axes, change and noise band', () => {
  it('starts every value axis at zero, even when the values change by 2 % far from it', async () => {
    const spec = trendSpec(series([point(0, 'completed', { ttftP50Ms: 1000, e2eP95Ms: 5000, outputTokensPerS: 300 }), point(1, 'completed', { ttftP50Ms: 1020, e2eP95Ms: 5100, outputTokensPerS: 294 })]))!;
    const domains = await yDomains(spec);
    expect(domains).toHaveLength(3);
    for (const [low, high] of domains) {
      expect(low).toBe(0);
      expect(high).toBeGreaterThan(0);
    }
    expect(JSON.stringify(spec)).not.toContain('"log"');
    expect(spec.description).toContain('Every value axis starts at zero.');
    // and across a 30-fold spread too, where run charts would go logarithmic
    const wide = trendSpec(series([point(0, 'completed', { ttftP50Ms: 10 }), point(1, 'completed', { ttftP50Ms: 900 })]))!;
    expect((await yDomains(wide))[0]![0]).toBe(0);
  });

  it('gives the caption the change the table shows, from unrounded numbers (100.04 → 100.6549 is +0.6 %, not the +0.7 % of 100.0 → 100.7)', () => {
    const points = [point(0, 'completed', { ttftP50Ms: 100.04 }), point(1, 'completed', { ttftP50Ms: 100.6549 })];
    const [change] = phaseChanges(points);
    expect(change!.change.ttftP50Ms).toBeCloseTo(0.6149 / 100.04, 12);
    expect(signedPercent(change!.change.ttftP50Ms)).toBe('+0.6%');
    // what the caption printed before, from the numbers as shown
    expect(signedPercent(relativeChange(100.7, 100.0))).toBe('+0.7%');
    const spec = trendSpec(series(points))!;
    expect(spec.description).toContain('TTFT p50 100.7 ms');
    expect(spec.description).toContain(`against run-0, the completed run before it at the same load level: TTFT p50 ${signedPercent(change!.change.ttftP50Ms)},`);
  });

  it('compares each load level with the newest earlier completed run that ran it', () => {
    const level = (phase: string, ttftP50Ms: number) => ({ phase, ttftP50Ms, e2eP95Ms: 100, outputTokensPerS: 50, successRate: 1 });
    const at = (i: number, status: TrendPoint['status'], phases: Headline[]): TrendPoint => ({ ...point(i, status, phases.at(-1) ?? null), phases });
    const changes = phaseChanges([
      at(0, 'completed', [level('c1', 10), level('c8', 40), level('c32', 80)]),
      at(1, 'completed', [level('c1', 11), level('c8', 44)]),
      at(2, 'failed', [level('c1', 99), level('c8', 99), level('c32', 99)]),
      at(3, 'completed', [level('c1', 12.1), level('c8', 44), level('c32', 88), level('c64', 200)]),
      at(4, 'partial', []),
    ]);
    expect(changes.map((c) => [c.phase, c.runId, c.previousRunId])).toEqual([
      ['c1', 'run-3', 'run-1'],
      ['c8', 'run-3', 'run-1'],
      ['c32', 'run-3', 'run-0'],
      ['c64', 'run-3', null],
    ]);
    expect(changes.map((c) => c.change.ttftP50Ms)).toEqual([expect.closeTo(0.1, 12), 0, expect.closeTo(0.1, 12), null]);
    // the caption's change is the one at the headline's (last) phase: no earlier run has c64
    const spec = trendSpec(series([at(0, 'completed', [level('c1', 10), level('c32', 80)]), at(1, 'completed', [level('c1', 11), level('c64', 200)])]))!;
    expect(spec.description).toContain('no earlier completed run has its last load level, so no change is given.');
    expect(phaseChanges([point(0, 'failed'), point(1, 'partial', null)])).toEqual([]);
  });

  it('draws a min–max noise band over replicate runs and says what it is', async () => {
    const HOUR = 3_600_000;
    const points = [
      point(0, 'completed', { ttftP50Ms: 40 }, 0),
      point(1, 'completed', { ttftP50Ms: 44 }, 0.2 * HOUR),
      point(2, 'completed', { ttftP50Ms: 42 }, 0.5 * HOUR),
      point(3, 'failed', { ttftP50Ms: 400 }, 0.6 * HOUR),
      point(4, 'completed', { ttftP50Ms: 50 }, DAY),
    ];
    const spec = trendSpec(series(points))!;
    const bands = spec.datasets!['bands'] as Array<Record<string, unknown>>;
    // one point measured three times (the failed run is no replicate), the next once: one band per metric
    expect(bands.filter((b) => b['metric'] === 'ttftP50Ms')).toEqual([{ metric: 'ttftP50Ms', from: '2025-06-01T00:00:00.000Z', to: '2025-06-01T00:30:00.000Z', low: 40, high: 44, runs: 3 }]);
    expect(bands).toHaveLength(3);
    const drawn = layers(spec).filter((l) => l['data']?.name === 'bands');
    expect(drawn.map((l) => l['transform'][0].filter)).toEqual(["datum.metric === 'ttftP50Ms'", "datum.metric === 'e2eP95Ms'", "datum.metric === 'outputTokensPerS'"]);
    expect(drawn[0]!['encoding'].y2).toEqual({ field: 'high' });
    expect(spec.description).toContain('The shaded bar at 1 point is the noise band: it spans the lowest to the highest value of that point');
    expect(spec.description).not.toContain('No noise band');
    expect(compileSpec(spec).warnings).toEqual([]);
    expect((await yDomains(spec))[0]![0]).toBe(0);
    // a run a day: no replicates, no band, and the caption says so
    const lone = trendSpec(series([point(0), point(1), point(2)]))!;
    expect(lone.datasets!['bands']).toBeUndefined();
    expect(layers(lone).some((l) => l['data'] !== undefined)).toBe(false);
    expect(lone.description).toContain('No noise band: one run per point.');
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
