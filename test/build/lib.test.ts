// The site's pure functions: paths under a base, slugs, CSV, the chart SVG seam, the responses
// sample, trends, and the runs loader's handling of invalid runs.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBase } from '../../collector/commands/site.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord, Run } from '../../collector/store/schema/index.ts';
import { withoutRootStyle } from '../../site/lib/report/site-charts.ts';
import { requestsCsv, summaryCsv, toCsv } from '../../site/lib/report/csv.ts';
import { ms, percent } from '../../site/lib/format.ts';
import { InvalidRunsError, digestOf, loadRuns } from '../../site/lib/load-runs.ts';
import { normalizeBase, siteHref, slugify, slugsFor } from '../../site/lib/paths.ts';
import { describeLoad, engineQueueMax, humanSettings, latencyRows, plannedPhases, throughputRow, workloadFacts } from '../../site/lib/report/report.ts';
import { boundsLabel, loadLabel } from '../../site/lib/report/load-label.ts';
import { conversations, samplePrompts } from '../../site/lib/report/responses.ts';
import { facets, headline, runRow } from '../../site/lib/runs.ts';
import { sitemapXml } from '../../site/lib/sitemap.ts';
import { trendSeries } from '../../site/lib/trends.ts';
import { DEMO_DIR, GOLDEN_DIR } from './fixtures.ts';

let golden: Run;
let goldenRecords: RequestRecord[];
beforeAll(async () => {
  golden = await readRun(GOLDEN_DIR);
  goldenRecords = [];
  for await (const r of readRequests(GOLDEN_DIR)) goldenRecords.push(r);
});

describe('paths', () => {
  it('puts every path under the base', () => {
    expect(normalizeBase(undefined)).toBe('/');
    expect(normalizeBase('repo')).toBe('/repo/');
    expect(normalizeBase('/a/b')).toBe('/a/b/');
    expect(siteHref('/servebench/pr-1/', 'runs/x/')).toBe('/servebench/pr-1/runs/x/');
    expect(siteHref('/', '/trends/')).toBe('/trends/');
    expect(parseBase('servebench/pr-1')).toBe('/servebench/pr-1/');
    expect(() => parseBase('/a/../b')).toThrow(/not a URL path/);
    expect(() => parseBase('//evil.example/x')).not.toThrow();
    expect(parseBase('//evil.example/x')).toBe('/evil.example/x/');
  });

  it('makes distinct, stable slugs', () => {
    expect(slugify('meta-llama/Llama-3.1-8B-Instruct')).toBe('meta-llama-llama-3-1-8b-instruct');
    expect(slugify('<script>')).toBe('script');
    expect(slugify('日本語')).toBe('x');
    const slugs = slugsFor(['llama3.1:8b', 'llama3-1-8b', 'vllm']);
    expect(slugs.get('vllm')).toBe('vllm');
    expect(slugs.get('llama3.1:8b')).not.toBe(slugs.get('llama3-1-8b'));
    expect(slugs.get('llama3.1:8b')).toMatch(/^llama3-1-8b-[0-9a-f]{8}$/);
    // the same slug whatever the order the values come in
    expect(slugsFor(['llama3-1-8b', 'llama3.1:8b']).get('llama3.1:8b')).toBe(slugs.get('llama3.1:8b'));
  });
});

describe('numbers and exports', () => {
  it('formats milliseconds as the CLI does', () => {
    expect(ms(43.45)).toBe('43.5');
    expect(ms(0.097)).toBe('0.10');
    expect(ms(null)).toBe('—');
    expect(percent(2 / 3)).toBe('66.7%');
    expect(percent(1)).toBe('100%');
  });

  it('writes RFC 4180 CSV and defuses spreadsheet formulas in run text', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [null, 1.23456]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n,1.235\r\n');
    const evil = structuredClone(golden);
    evil.engines[0]!.label = '=HYPERLINK("http://x")';
    expect(summaryCsv(evil)).toContain(`"'=HYPERLINK(""http://x"")"`);
    const csv = requestsCsv(goldenRecords).split('\r\n');
    expect(csv[1]).toBe('main,vllm-a,0,0.4,45.1,135.5,8,ok,,false,capital-france');
  });

  it('writes a sitemap with absolute URLs when the origin is known', () => {
    const xml = sitemapXml(['', 'runs/a/'], '/r/', 'https://org.github.io/ignored/path');
    expect(xml).toContain('<loc>https://org.github.io/r/</loc>');
    expect(xml).toContain('<loc>https://org.github.io/r/runs/a/</loc>');
    expect(sitemapXml(['x&y/'], '/', undefined)).toContain('<loc>/x&amp;y/</loc>');
  });
});

describe('chart SVG', () => {
  it('drops only the root style attribute, which the CSP would block', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" style="max-width:100%;height:auto" role="img"><title>t</title><text fill="#000">a</text></svg>';
    expect(withoutRootStyle(svg)).toBe('<svg xmlns="http://www.w3.org/2000/svg" class="marks" role="img"><title>t</title><text fill="#000">a</text></svg>');
    expect(withoutRootStyle('<svg class="x"><g/></svg>')).toBe('<svg class="x"><g/></svg>');
  });
});

describe('report content', () => {
  it('describes loads and phases from the scenario or from what was measured', async () => {
    expect(describeLoad({ shape: 'closed-loop', concurrency: 4 })).toBe('closed-loop · concurrency 4');
    expect(plannedPhases(golden)).toEqual([{ name: 'main', load: '2 concurrent users', bounds: '3 requests', extra: '' }]);
    const demo = await readRun(DEMO_DIR);
    expect(plannedPhases(demo).map((p) => p.name)).toEqual(['c1', 'c4', 'c12']);
    expect(engineQueueMax(demo.engines[0]!.phases[2]!)).toBeGreaterThanOrEqual(0);
    expect(engineQueueMax(golden.engines[0]!.phases[0]!)).toBeNull();
  });

  it('says loads, bounds and settings in words: no raw keys, no bare true', () => {
    expect(loadLabel({ shape: 'closed-loop', concurrency: 1 })).toBe('1 concurrent user');
    expect(loadLabel({ shape: 'closed-loop', concurrency: 64, rampUpS: 10 })).toBe('64 concurrent users, ramped up over 10 s');
    expect(loadLabel({ shape: 'poisson', rate: 20, maxInFlight: 256 })).toBe('20 requests/s, Poisson arrivals, at most 256 in flight');
    expect(loadLabel({ shape: 'constant-rate', rate: 2 })).toBe('2 requests/s, evenly spaced');
    expect(loadLabel({ shape: 'ramp', of: 'users', from: 1, to: 128 })).toBe('users ramped from 1 to 128');
    expect(loadLabel({ shape: 'sequential' })).toBe('one request at a time');
    expect(boundsLabel({ requests: 12 })).toBe('12 requests');
    expect(boundsLabel({ requests: 500, durationS: 60 }, { seconds: 15 })).toBe('500 requests or 60 s, after 15 s of warm-up');
    expect(humanSettings({ connectS: 10, ttftS: 60, idleS: 30, totalS: 300 })).toBe('connect 10 s · first token 60 s · idle 30 s · total 300 s');
    const facts = workloadFacts(golden);
    expect(facts.find((f) => f.label === 'Streamed')?.value).toBe('yes');
    expect(facts.find((f) => f.label === 'Fixed output length (end-of-sequence ignored)')?.value).toBe('yes');
    expect(facts.map((f) => f.value)).not.toContain('true');
  });

  it('shows TTFT without the requests that opened a connection only when some did and some did not', () => {
    const phase = golden.engines[0]!.phases[0]!;
    expect(latencyRows(phase).map((r) => r.label)).toEqual(['TTFT', 'TPOT', 'ITL', 'E2E']);
    expect(throughputRow(phase).newConnections).toBeNull();
    const reused = { ...phase.ttftMs, count: 1, p50: 40 };
    const mixed = { ...phase, newConnections: 1, ttftReusedMs: reused };
    expect(latencyRows(mixed).map((r) => r.label)).toEqual(['TTFT', 'TTFT, reused connection', 'TPOT', 'ITL', 'E2E']);
    expect(latencyRows(mixed)[1]!.distribution).toBe(reused);
    expect(latencyRows(mixed)[1]!.title).toContain('1 did');
    expect(throughputRow({ ...phase, newConnections: 0 }).newConnections).toBe(0);
  });

  it("takes headlines from each engine's last phase", () => {
    expect(headline(golden.engines[0]!)).toEqual({ phase: 'main', ttftP50Ms: 43.45, e2eP95Ms: 135.38, outputTokensPerS: 116.874, successRate: 2 / 3 });
    const f = facets([golden]);
    expect(f.engines.map((v) => v.label)).toEqual(['ollama', 'vllm']);
    // The canonical hash of the golden scenario (store/scenario-hash.ts), recomputed by the reader: not the one run.json stores.
    expect(f.scenarios[0]!.slug).toBe('golden-chat-smoke-5a22bf929335');
  });

  it('samples prompts with every engine, preferring a successful answer', () => {
    const sample = samplePrompts(golden, goldenRecords);
    expect(sample.map((s) => s.promptId)).toEqual(['capital-france', 'haiku-autumn', 'sum-list']);
    const haiku = sample[1]!;
    expect(haiku.answers.map((a) => a.record?.status)).toEqual(['error', 'ok']);
    expect(samplePrompts(golden, goldenRecords, 2)).toHaveLength(2);
  });

  it('lines conversations up turn by turn across engines', () => {
    const base = goldenRecords[0]!;
    const turn = (engine: string, n: number, k: number, text: string): RequestRecord => ({ ...base, engine, promptId: `conversation:trip-planning#${n}:turn-${k}`, text });
    const records = [turn('vllm-a', 0, 2, 'v2'), turn('vllm-a', 0, 1, 'v1'), turn('ollama-b', 0, 1, 'o1'), turn('vllm-a', 1, 1, 'w1')];
    const { shown, total } = conversations(golden, records);
    expect(total).toBe(2);
    expect(shown[0]!.name).toBe('trip-planning');
    expect(shown[0]!.turns.map((t) => t.turn)).toEqual([1, 2]);
    expect(shown[0]!.turns[0]!.user).toContain('10-day trip to Japan');
    expect(shown[0]!.turns[0]!.answers.map((a) => a.record?.text)).toEqual(['v1', 'o1']);
    expect(shown[0]!.turns[1]!.answers.map((a) => a.record?.text ?? null)).toEqual(['v2', null]);
    expect(samplePrompts(golden, records)).toEqual([]);
  });

  it('groups comparable runs by engine identity and scenario hash', () => {
    const later = structuredClone(golden);
    later.id = 'later';
    later.startedAt = '2025-07-01T00:00:00.000Z';
    const other = structuredClone(golden);
    other.id = 'other-scenario';
    other.scenarioHash = 'different';
    const series = trendSeries([later, golden, other]);
    const vllm = series.find((s) => s.identity === golden.engines[0]!.identity && s.scenarioHash === golden.scenarioHash)!;
    expect(vllm.points.map((p) => p.runId)).toEqual([golden.id, 'later']);
    expect(series).toHaveLength(4);
  });
});

describe('loading runs', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-load-'));
    await cp(GOLDEN_DIR, join(tmp, 'good'), { recursive: true });
    await cp(GOLDEN_DIR, join(tmp, 'copy'), { recursive: true });
    await cp(GOLDEN_DIR, join(tmp, 'bad'), { recursive: true });
    await writeFile(join(tmp, 'bad', 'run.json'), '{"schemaVersion": 1, "id": "bad"');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('stops on an invalid run, naming the file and the reason, or skips it when asked', async () => {
    const error = await loadRuns(tmp, { skipInvalid: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRunsError);
    const message = (error as Error).message;
    expect(message).toContain(join(tmp, 'bad', 'run.json'));
    expect(message).toContain('cut short');
    // a copied run directory: two runs with one id would write the same pages
    expect(message).toContain('is also the id of');
    const { runs, skipped } = await loadRuns(tmp, { skipInvalid: true });
    expect(runs.map((r) => r.run.id)).toEqual([golden.id]);
    expect(runs[0]!.records).toBe(6);
    expect(skipped.map((s) => s.name).sort()).toEqual(['bad', 'copy']);
  });

  it('has no runs in a missing directory', async () => {
    expect(await loadRuns(join(tmp, 'nope'), { skipInvalid: false })).toEqual({ runs: [], skipped: [] });
  });
});

describe('digestOf', () => {
  it('keeps what the index, filters and trends read, and drops the scenario, raw info and series', async () => {
    const run = await readRun(DEMO_DIR);
    const digest = digestOf(run);
    expect(digest.scenario).toEqual({ name: run.scenario['name'], seed: run.scenario.seed });
    expect(digest.engines.every((e) => !('raw' in e.info) && e.phases.every((p) => !('server' in p) && !('client' in p)))).toBe(true);
    expect(runRow(digest)).toEqual(runRow(run));
    expect(facets([digest])).toEqual(facets([run]));
    expect(trendSeries([digest])).toEqual(trendSeries([run]));
    // the point of it: a small part of the run file stays in memory for the whole build
    expect(JSON.stringify(digest).length).toBeLessThan(JSON.stringify(run).length / 2);
  });
});
