import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../../collector/store/schema/index.ts';
import { chartData } from '../../../../site/lib/charts/data.ts';
import { chartSpecs, runCharts } from '../../../../site/lib/charts/index.ts';
import { compile } from 'vega-lite';
import { compileSpec, dataTable, escapeXml, renderSvg, specWithData, TABLE_ROWS, withFixedSize } from '../../../../site/lib/charts/render.ts';
import { HEIGHT, WIDTH } from '../../../../site/lib/charts/spec.ts';
import { ttftDistributionSpec } from '../../../../site/lib/charts/ttft-distribution.ts';
import { ttftTimelineSpec } from '../../../../site/lib/charts/ttft-timeline.ts';
import { GOLDEN, loadRun, makeRun, record } from './helpers.ts';

const EVIL = '<img src=x onerror=alert(1)>';

/** No URL in an SVG but its two namespace declarations. */
function expectNoRemoteUrl(svg: string): void {
  const rest = svg.replace('xmlns="http://www.w3.org/2000/svg"', '').replace('xmlns:xlink="http://www.w3.org/1999/xlink"', '');
  expect(rest).not.toMatch(/https?:\/\//);
  expect(rest).not.toMatch(/url\(/);
}

async function evilRun(): Promise<{ records: RequestRecord[]; data: ReturnType<typeof chartData>; run: Awaited<ReturnType<typeof makeRun>> }> {
  const records: RequestRecord[] = [];
  for (let i = 0; i < 6; i++) records.push(record({ engine: EVIL, phase: 'c1', sentMs: i * 100, ttftMs: 20 + i }, i));
  for (let i = 0; i < 6; i++) records.push(record({ engine: '</desc><script>alert("x")</script>', phase: 'c1', sentMs: 1000 + i * 100, ttftMs: 30 + i }, 10 + i));
  records.push(record({ engine: EVIL, phase: 'c1', sentMs: 700, errorKind: 'http_error' }, 20));
  const run = await makeRun(records, {
    server: { [EVIL]: { running: [[0, 1], [500, 2]], kvCacheUsage: [[0, 0.1], [500, 0.2]] } },
  });
  return { records, data: chartData(run, records), run };
}

describe('renderSvg', () => {
  it('renders an <svg> with role="img", a <title> and a <desc> from the spec', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const spec = ttftDistributionSpec(chartData(run, records))!;
    const svg = await renderSvg(spec, { id: 'Run 1/ttft' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/^<svg[^>]* role="img"/);
    expect(svg).toMatch(/^<svg[^>]* aria-labelledby="run-1-ttft-title"/);
    expect(svg).toContain('<title id="run-1-ttft-title">Time to first token</title>');
    expect(svg).toContain(`<desc id="run-1-ttft-desc">${escapeXml(spec.description!)}</desc>`);
    expect(svg).toMatch(/viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expectNoRemoteUrl(svg);
  });

  it('escapes engine labels from the run file everywhere in the SVG', async () => {
    const { data } = await evilRun();
    const specs = chartSpecs(data);
    expect(specs.map((s) => s.id)).toEqual(['ttft-distribution', 'e2e-distribution', 'ttft-timeline', 'itl-histogram', 'output-rate', 'server-series', 'errors-over-time']);
    for (const { id, spec } of specs) {
      const svg = await renderSvg(spec, { id });
      expect(svg, id).not.toContain('<img');
      expect(svg, id).not.toContain('<script');
      expect(svg.match(/<\/desc>/g), id).toHaveLength(1);
      expect(svg, id).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(svg.match(/<desc\b/g), id).toHaveLength(1);
      expectNoRemoteUrl(svg);
    }
  });

  it('compiles every chart without Vega-Lite warnings', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const { data } = await evilRun();
    for (const { id, spec } of [...chartSpecs(chartData(run, records)), ...chartSpecs(data)]) {
      expect(compileSpec(spec).warnings, id).toEqual([]);
    }
  });

  it('compiles a chart shape once: the Vega spec of other data is the one compiled whole', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const { data } = await evilRun();
    // Later records of the golden run: the same shapes over other values (compiled from the cache).
    const later = records.map((r) => ({ ...r, sentMs: r.sentMs * 1.5 + 3, endMs: r.endMs === null ? null : r.endMs * 1.5 + 3 }));
    for (const { id, spec } of [...chartSpecs(chartData(run, records)), ...chartSpecs(data), ...chartSpecs(chartData(run, later))]) {
      const whole = compile(withFixedSize(spec)).spec;
      expect(compileSpec(spec).vega, id).toEqual(whole);
      expect(compileSpec(spec).vega, `${id}, again`).toEqual(whole);
    }
  });

  it('gives every chart a fixed size', async () => {
    const { data } = await evilRun();
    const spec = ttftTimelineSpec(data)!;
    const a = await renderSvg({ ...spec, width: WIDTH, height: HEIGHT });
    const b = await renderSvg({ ...spec, width: 'container', height: 'container' } as typeof spec);
    expect(/^<svg[^>]* width="\d+" height="\d+"/.test(b)).toBe(true);
    const size = (svg: string) => /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)?.slice(1);
    expect(size(b)).toEqual(size(a));
  });
});

describe('dataTable and specWithData', () => {
  it('lists the chart data with titled columns, capped with a note', async () => {
    const records: RequestRecord[] = [];
    for (let i = 0; i < 300; i++) records.push(record({ engine: 'a', sentMs: i * 10, ttftMs: 10 + (i % 50) }, i));
    const data = chartData(await makeRun(records), records);
    const spec = ttftTimelineSpec(data)!;
    const table = dataTable(spec);
    expect(table.columns).toEqual(['Engine', 'Phase', 'Sent at (s)', 'TTFT (ms)']);
    expect(table.rows).toHaveLength(TABLE_ROWS);
    expect(table.totalRows).toBe(300);
    expect(table.truncated).toBe(true);
    expect(table.note).toBe(`Showing the first ${TABLE_ROWS} of 300 rows; the downloadable spec holds them all.`);
    expect(table.rows[0]).toEqual(['a', 'main', 0, 10]);
    const small = dataTable(spec, 1000);
    expect(small.truncated).toBe(false);
    expect(small.note).toBeNull();
    expect(small.rows).toHaveLength(300);
  });

  it('gives distribution charts a table of exact statistics', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const table = dataTable(ttftDistributionSpec(chartData(run, records))!);
    expect(table.columns).toEqual(['Engine', 'Phase', 'Requests', 'Min (ms)', 'P25 (ms)', 'Median (ms)', 'P75 (ms)', 'P90 (ms)', 'P95 (ms)', 'P99 (ms)', 'Max (ms)']);
    expect(table.rows.map((r) => r.slice(0, 4))).toEqual([
      ['vllm-a', 'all phases', 2, 41.8],
      ['ollama-b', 'all phases', 2, 31.6],
    ]);
    expect(table.caption).toContain('Summary statistics');
  });

  it('gives the standalone spec with its data inline, JSON-safe and without remote references', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const spec = ttftDistributionSpec(chartData(run, records))!;
    const standalone = specWithData(spec) as Record<string, unknown>;
    expect(standalone['usermeta']).toBeUndefined();
    expect(Object.keys(standalone['datasets'] as object)).toEqual(['ecdf', 'boxes', 'stats']);
    expect(JSON.parse(JSON.stringify(standalone))).toEqual(standalone);
    // $schema names the format for editors (nothing fetches it); no data or image is loaded from anywhere.
    expect(standalone['$schema']).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    const { $schema: _schema, ...rest } = standalone;
    expect(JSON.stringify(rest)).not.toMatch(/https?:|"url"/);
    expect(standalone['title']).toBe('Time to first token');
  });
});

describe('runCharts', () => {
  it('renders every applicable chart of the golden run with its table and spec', async () => {
    const { run, records } = await loadRun(GOLDEN);
    const charts = await runCharts(run, records);
    expect(charts.map((c) => c.id)).toEqual(['ttft-distribution', 'e2e-distribution', 'ttft-timeline', 'itl-histogram', 'output-rate', 'errors-over-time']);
    for (const chart of charts) {
      expect(chart.title.length).toBeGreaterThan(0);
      expect(chart.description.length).toBeGreaterThan(40);
      expect(chart.svg).toContain(`id="${run.id}-${chart.id}-title"`);
      expect(chart.table.columns.length).toBeGreaterThan(0);
      expect(chart.table.rows.length).toBeGreaterThan(0);
      expect(chart.spec).toHaveProperty('datasets');
    }
  });
});
