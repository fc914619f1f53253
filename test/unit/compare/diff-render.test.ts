// The diff's three renderings over the slo-sweep fixture: markdown within GitHub's comment limit
// for two 3-engine × 7-phase runs, engine text made inert in markdown and the terminal, and JSON
// holding every row.
import { beforeAll, describe, expect, it } from 'vitest';
import { diffRuns, goodputObjectives, type RunDiff } from '../../../collector/compare/diff-runs.ts';
import { diffJson } from '../../../collector/compare/diff-json.ts';
import { diffMarkdown, MARKDOWN_LIMIT } from '../../../collector/compare/diff-markdown.ts';
import { diffText } from '../../../collector/compare/diff-text.ts';
import { samplesOf, type RunSamples } from '../../../collector/compare/phase-samples.ts';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { slowerDecode, SWEEP } from '../../support/slower-sweep.ts';

let run: Run;
let records: RequestRecord[];
beforeAll(async () => {
  run = await readRun(SWEEP);
  records = [];
  for await (const record of readRequests(SWEEP)) records.push(record);
});

function slower(factor: number): RequestRecord[] {
  return records.map((record) => slowerDecode(record, factor));
}

/**
 * The fixture widened to `labels.length` engines × 7 phases: each engine is a copy of the first
 * (and its records), and phases 5–7 repeat the first three under new names and loads.
 */
function widened(source: RequestRecord[], labels: string[]): { run: Run; samples: RunSamples } {
  const template = run.engines[0]!;
  const extra = template.phases.slice(0, 3).map((p, i) => ({ ...p, name: `${p.name}-again`, load: { ...p.load, requests: 61 + i } }));
  const phases = [...template.phases, ...extra];
  const wide: Run = { ...structuredClone(run), engines: labels.map((label) => ({ ...structuredClone(template), label, phases })) };
  const recs: RequestRecord[] = [];
  for (const label of labels) {
    for (const r of source) {
      if (r.engine !== template.label) continue;
      recs.push({ ...r, engine: label });
      if (extra.some((p) => p.name === `${r.phase}-again`)) recs.push({ ...r, engine: label, phase: `${r.phase}-again` });
    }
  }
  return { run: wide, samples: samplesOf(recs, goodputObjectives(run, run)) };
}

describe('markdown for two 3-engine × 7-phase runs', () => {
  let diff: RunDiff;
  beforeAll(() => {
    // Long hostile labels and a 15 % decode slowdown everywhere: as many listed rows as a diff gets.
    const labels = ['vllm-sim|**loud**<b>x</b>@team-a', 'tgi-sim [link](http://evil.example)', `ollama-${'x'.repeat(60)}`];
    diff = diffRuns(widened(records, labels), widened(slower(1.15), labels), { resamples: 400 });
  });

  it('compares all 21 engine × phase pairs and stays under 60,000 characters', () => {
    expect(new Set(diff.rows.map((r) => `${r.engine}/${r.phase}`)).size).toBe(21);
    const text = diffMarkdown(diff);
    expect(text.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(text).toContain('### Changes and undecided metrics');
    expect(text).toMatch(/\*\*regression\*\*/);
  });

  it('cuts rows from the least urgent end under a small limit, saying how many it left out', () => {
    const text = diffMarkdown(diff, { limit: 6_000 });
    expect(text.length).toBeLessThan(6_000);
    expect(text).toMatch(/… \d+ more rows left out to stay under GitHub's comment limit \(/);
    // Regressions come first, so those are the rows that stay.
    const firstRow = text.split('\n').find((l) => l.startsWith('| 🔴'));
    expect(firstRow).toBeDefined();
  });

  it('makes engine labels inert: no HTML, no markup, no @mention, no link', () => {
    const text = diffMarkdown(diff, { siteUrl: 'https://example.github.io/bench/' });
    expect(text).not.toContain('<b>');
    expect(text).toContain('&lt;b&gt;');
    expect(text).not.toMatch(/@team/);
    expect(text).toContain('@&#8203;team');
    expect(text).not.toContain('**loud**');
    expect(text).not.toContain('](http://evil');
    expect(text).toContain('vllm-sim\\|');
    expect(text).toContain(`[Full diff with intervals and distributions](https://example.github.io/bench/diff/${run.id}...${run.id}/)`);
  });
});

describe('the self-diff rendered', () => {
  let diff: RunDiff;
  beforeAll(() => {
    const samples = samplesOf(records, goodputObjectives(run, run));
    diff = diffRuns({ run, samples }, { run, samples }, { resamples: 400 });
  });

  it('summarises equivalent metrics per engine in markdown and lists no regression', () => {
    const text = diffMarkdown(diff);
    expect(text).toMatch(/- vllm-sim: \d+ of 60 metrics equivalent/);
    expect(text).toMatch(/- tgi-sim: \d+ of 60 metrics equivalent/);
    expect(text).not.toContain('regression |');
    expect(text).toContain('No differences');
    expect(text).toContain('**Simulated**');
  });

  it('lists every row in the text rendering, with the simulator said up front', () => {
    const text = diffText(diff);
    expect(text.startsWith('SIMULATED')).toBe(true);
    expect(text.split('\n').filter((l) => /^(vllm|tgi)-sim /.test(l))).toHaveLength(diff.rows.length);
  });

  it('holds every row in JSON, under its format name', () => {
    const parsed = JSON.parse(diffJson(diff));
    expect(parsed.format).toBe('servebench-diff');
    expect(parsed.rows).toHaveLength(diff.rows.length);
    expect(parsed.rows[0]).toMatchObject({ engine: 'vllm-sim', phase: 'c1', metric: 'ttft', stat: 'p50', delta: 0 });
  });

  it('strips control characters an engine label carried from the terminal text', () => {
    const hostile = structuredClone(diff);
    for (const r of hostile.rows) r.engine = r.headEngine = 'vllm\u001b[31m-red\u0007';
    const text = diffText(hostile);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
