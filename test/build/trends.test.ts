// The Trends page, built once by `servebench site build` (a real process) over the golden run,
// four edited copies of it (a later completed run and a replicate of it 20 minutes on, a failed
// one, a partial one without summaries) and the demo run, whose engines each have one run: a
// chart per comparable series inline as SVG with its axes from zero and a noise band, the numbers
// in its table, the same change in caption and table, its spec as a download, and no chart for a
// lone run.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, DEMO_ID, GOLDEN_DIR, GOLDEN_ID } from './fixtures.ts';
import { filesUnder, siteBuild } from './site-build.ts';

const LATER_ID = '20250613-093000-trend-later-0101';
const REPLICATE_ID = '20250613-095000-trend-replicate-0104';
const FAILED_ID = '20250614-093000-trend-failed-0102';
const PARTIAL_ID = '20250615-093000-trend-partial-0103';

type Json = Record<string, any>;

/** A copy of the golden run under another id and start time, edited by `edit`. */
async function goldenCopy(runsDir: string, id: string, startedAt: string, edit: (run: Json) => void): Promise<void> {
  const run = JSON.parse(await readFile(join(GOLDEN_DIR, 'run.json'), 'utf8')) as Json;
  run.id = id;
  run.name = id;
  run.startedAt = startedAt;
  run.finishedAt = new Date(Date.parse(startedAt) + 1000).toISOString();
  edit(run);
  await mkdir(join(runsDir, id), { recursive: true });
  await writeFile(join(runsDir, id, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  await cp(join(GOLDEN_DIR, 'requests.ndjson.gz'), join(runsDir, id, 'requests.ndjson.gz'));
}

/** Sets the headline numbers of the engine's last phase. */
function setHeadline(engine: Json, ttftP50Ms: number | null, e2eP95Ms: number, outputTokensPerS: number): void {
  const phase = engine.phases.at(-1);
  phase.ttftMs.p50 = ttftP50Ms;
  phase.e2eMs.p95 = e2eP95Ms;
  phase.outputTokensPerS = outputTokensPerS;
}

async function writeRuns(runsDir: string): Promise<void> {
  await cp(GOLDEN_DIR, join(runsDir, GOLDEN_ID), { recursive: true });
  await cp(DEMO_DIR, join(runsDir, DEMO_ID), { recursive: true });
  await goldenCopy(runsDir, LATER_ID, '2025-06-13T09:30:00.000Z', (run) => {
    setHeadline(run.engines[0], 48.2, 140.1, 110.5);
    setHeadline(run.engines[1], 100.04, 170.2, 95.3);
  });
  // Shown as 100.0 ms and 100.7 ms, a change of +0.7 %; unrounded it is +0.6 %.
  await goldenCopy(runsDir, REPLICATE_ID, '2025-06-13T09:50:00.000Z', (run) => {
    setHeadline(run.engines[0], 50.2, 141.1, 109.5);
    setHeadline(run.engines[1], 100.6549, 171.2, 95.1);
  });
  await goldenCopy(runsDir, FAILED_ID, '2025-06-14T09:30:00.000Z', (run) => {
    run.status = 'failed';
    setHeadline(run.engines[0], null, 20.5, 0);
    setHeadline(run.engines[1], 90.4, 400.6, 12.7);
  });
  await goldenCopy(runsDir, PARTIAL_ID, '2025-06-15T09:30:00.000Z', (run) => {
    run.status = 'partial';
    run.finishedAt = null;
    run.errorsByKind = {};
    for (const engine of run.engines) engine.phases = [];
  });
}

/** The page's series sections, by the text of their heading. */
function sections(html: string): Array<{ heading: string; html: string }> {
  return [...html.matchAll(/<section class="series".*?<\/section>/gs)].map((m) => ({
    heading: /<h2[^>]*>(.*?)<\/h2>/s.exec(m[0])![1]!.replace(/<[^>]+>/g, ''),
    html: m[0],
  }));
}

/** The cells of the table's change row (tfoot), after its heading. */
function changeCells(section: string): string[] {
  const foot = /<tfoot>(.*?)<\/tfoot>/s.exec(section)?.[1];
  if (foot === undefined) throw new Error('no change row');
  return [...foot.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);
}

const caption = (section: string): string => /<span class="chart-description">([^<]*)<\/span>/.exec(section)![1]!;

/** The numeric cells of the table row that links to run `id`. */
function rowCells(section: string, id: string): string[] {
  const row = [...section.matchAll(/<tr>.*?<\/tr>/gs)].map((m) => m[0]).find((r) => r.includes(`/runs/${id}/`));
  if (row === undefined) throw new Error(`no row for ${id}`);
  return [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
}

describe('the Trends page', () => {
  let tmp: string;
  let dist: string;
  let trends: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-trends-'));
    const runsDir = join(tmp, 'runs');
    await writeRuns(runsDir);
    dist = join(tmp, 'dist');
    const built = await siteBuild(['--runs', runsDir, '--out', dist], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${`${built.stdout}${built.stderr}`}`);
    trends = await readFile(join(dist, 'trends', 'index.html'), 'utf8');
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('charts each series of two runs or more as an inline SVG with a title, a caption and its table', () => {
    const comparable = sections(trends).filter((s) => s.html.includes('5 runs'));
    expect(comparable.map((s) => s.heading.trim().split(' ')[0])).toEqual(['ollama', 'vllm']);
    for (const { heading, html } of comparable) {
      expect(html.match(/<svg\b/g), heading).toHaveLength(1);
      expect(html).toMatch(/<figure class="chart trend-chart"[^>]*>\s*<div class="chart-svg"><svg[^>]* role="img"[^>]*><title id="trend-[a-z0-9-]+-title">Headline numbers over time<\/title><desc/);
      expect(html).toContain('<figcaption');
      for (const axis of ['TTFT p50 (ms)', 'E2E p95 (ms)', 'Output (tokens/s)', 'Run start time (UTC)']) expect(html, axis).toContain(`>${axis}</text>`);
      // the figure points at the series' table, which follows it
      const table = /<a href="#(table-[a-z0-9-]+)">Data table<\/a>/.exec(html)?.[1];
      expect(table).toBeDefined();
      expect(html.indexOf(`id="${table}"`)).toBeGreaterThan(html.indexOf('</figure>'));
      expect(html.match(/<table\b/g)).toHaveLength(1);
    }
  });

  it('says which runs did not complete, in the caption and in the SVG description', () => {
    const vllm = sections(trends).find((s) => s.heading.startsWith('vllm 0.6.3.post1'))!;
    const text = caption(vllm.html);
    expect(text).toContain(`2 runs did not complete, drawn as marks of their own off the line: ${FAILED_ID} (failed) and ${PARTIAL_ID} (partial).`);
    expect(text).toContain(`no numbers at all for ${PARTIAL_ID}; no TTFT p50 for ${FAILED_ID}`);
    expect(text).toContain(`Latest completed run ${REPLICATE_ID}: TTFT p50 50.2 ms, E2E p95 141.1 ms, output 109.5 tokens/s; against ${LATER_ID}, the completed run before it at the same load level: TTFT p50 +4.1%`);
    expect(vllm.html).toMatch(/<desc id="trend-[a-z0-9-]+-desc">Headline numbers of 5 runs/);
  });

  it('gives the same change in the caption and the change row, from unrounded numbers, per load level', () => {
    const ollama = sections(trends).find((s) => s.heading.startsWith('ollama 0.3.12'))!.html;
    expect(rowCells(ollama, LATER_ID)[0]).toBe('100.0');
    expect(rowCells(ollama, REPLICATE_ID)[0]).toBe('100.7');
    // 100.04 → 100.6549 is +0.6 %; from the numbers as shown it would read +0.7 %
    expect(caption(ollama)).toContain(`against ${LATER_ID}, the completed run before it at the same load level: TTFT p50 +0.6%, E2E p95 +0.6%, output -0.2%.`);
    expect(changeCells(ollama)).toEqual(['main', '+0.6%', '+0.6%', '-0.2%', '0.0%']);
    expect(ollama).toMatch(new RegExp(`<tfoot>\\s*<tr>\\s*<th scope="colgroup" colspan="8">\\s*Change of <a href="/runs/${REPLICATE_ID}/">${REPLICATE_ID}</a>, the latest completed run, at each\\s+load level against the newest earlier completed run at that level`));
    expect(ollama).toContain(`<th scope="row" colspan="3">against <a href="/runs/${LATER_ID}/">${LATER_ID}</a></th>`);
  });

  it('starts every value axis at zero and draws the noise band of the two replicate runs', async () => {
    for (const { heading, html } of sections(trends).filter((s) => s.html.includes('5 runs'))) {
      expect(caption(html), heading).toContain('The shaded bar at 1 point is the noise band: it spans the lowest to the highest value of that point');
      expect(caption(html), heading).toContain('Every value axis starts at zero.');
      // each of the three panels has a 0 tick label on its value axis
      expect(html.match(/>0<\/text>/g)?.length ?? 0, heading).toBeGreaterThanOrEqual(3);
    }
    const vllm = sections(trends).find((s) => s.heading.startsWith('vllm 0.6.3.post1'))!.html;
    const href = /Data table<\/a> · <a href="\/(trends\/[a-z0-9-]+\.vl\.json)" download=/.exec(vllm)![1]!;
    const spec = JSON.parse(await readFile(join(dist, href), 'utf8')) as Json;
    expect(spec.datasets.bands).toContainEqual({ metric: 'ttftP50Ms', from: '2025-06-13T09:30:00.000Z', to: '2025-06-13T09:50:00.000Z', low: 48.2, high: 50.2, runs: 2 });
  });

  it('lists the numbers of every run in the series table', () => {
    const vllm = sections(trends).find((s) => s.heading.startsWith('vllm 0.6.3.post1'))!.html;
    expect(rowCells(vllm, GOLDEN_ID)).toEqual(['43.5', '135.4', '116.9', '66.7%']);
    expect(rowCells(vllm, LATER_ID)).toEqual(['48.2', '140.1', '110.5', '66.7%']);
    expect(rowCells(vllm, FAILED_ID)).toEqual(['—', '20.5', '0.0', '66.7%']);
    expect(vllm).toMatch(new RegExp(`/runs/${PARTIAL_ID}/.*?<td colspan="5" class="muted">no summaries</td>`, 's'));
    const ollama = sections(trends).find((s) => s.heading.startsWith('ollama 0.3.12'))!.html;
    expect(rowCells(ollama, LATER_ID)).toEqual(['100.0', '170.2', '95.3', '66.7%']);
  });

  it('offers each chart as a Vega-Lite spec with the same numbers, its data inline', async () => {
    const vllm = sections(trends).find((s) => s.heading.startsWith('vllm 0.6.3.post1'))!.html;
    const href = /Data table<\/a> · <a href="\/(trends\/[a-z0-9-]+\.vl\.json)" download=/.exec(vllm)?.[1];
    expect(href).toBeDefined();
    const text = await readFile(join(dist, href!), 'utf8');
    expect(text).not.toMatch(/"url"\s*:/);
    const spec = JSON.parse(text) as Json;
    expect(spec.vconcat).toHaveLength(3);
    expect(spec.usermeta).toBeUndefined();
    expect(spec.datasets.runs).toEqual([
      { runId: GOLDEN_ID, startedAt: '2025-06-12T09:30:00.000Z', status: 'completed', ttftP50Ms: 43.45, e2eP95Ms: 135.38, outputTokensPerS: 116.87 },
      { runId: LATER_ID, startedAt: '2025-06-13T09:30:00.000Z', status: 'completed', ttftP50Ms: 48.2, e2eP95Ms: 140.1, outputTokensPerS: 110.5 },
      { runId: REPLICATE_ID, startedAt: '2025-06-13T09:50:00.000Z', status: 'completed', ttftP50Ms: 50.2, e2eP95Ms: 141.1, outputTokensPerS: 109.5 },
      { runId: FAILED_ID, startedAt: '2025-06-14T09:30:00.000Z', status: 'failed', ttftP50Ms: null, e2eP95Ms: 20.5, outputTokensPerS: 0 },
      { runId: PARTIAL_ID, startedAt: '2025-06-15T09:30:00.000Z', status: 'partial', ttftP50Ms: null, e2eP95Ms: null, outputTokensPerS: null },
    ]);
  });

  it('draws no chart for a series of one run', () => {
    const lone = sections(trends).filter((s) => s.html.includes('1 run.'));
    // the demo run's three engines
    expect(lone).toHaveLength(3);
    for (const { heading, html } of lone) {
      expect(html, heading).not.toContain('<svg');
      expect(html, heading).not.toContain('<figure');
      expect(html, heading).toContain('<table class="trend"');
    }
  });

  it('has no script and no style attribute: the CSP allows neither', () => {
    expect(trends).not.toMatch(/<script/i);
    expect(trends).not.toMatch(/<style|\sstyle=/i);
    expect(trends.match(/<svg\b/g)).toHaveLength(2);
  });
});
