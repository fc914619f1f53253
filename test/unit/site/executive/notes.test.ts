// What a run's notes.mdx may contain (notes-guard) and what its components show (notes-values),
// over the slo-sweep sample run.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { Run } from '../../../../collector/store/schema/index.ts';
import { notesSourceProblem } from '../../../../site/lib/executive/notes-check.ts';
import { notesGuardPlugin, notesHeadingsPlugin, notesProblem, notesProblems } from '../../../../site/lib/executive/notes-guard.ts';
import { deltaOf, metricOf, NotesError, verdictOf } from '../../../../site/lib/executive/notes-values.ts';

const SWEEP = fileURLToPath(new URL('../../../fixtures/runs/slo-sweep/', import.meta.url));
let run: Run;

beforeAll(async () => {
  run = await readRun(SWEEP);
});

const jsx = (name: string, attributes: { type?: string; name?: string; value?: unknown }[] = [], children: { type: string }[] = []) => ({
  type: 'mdxJsxTextElement',
  name,
  attributes: attributes.map((a) => ({ type: 'mdxJsxAttribute', ...a })),
  children,
});

describe('notes guard', () => {
  it('allows prose, links and the four components with plain string props', () => {
    expect(notesProblem({ type: 'paragraph' })).toBeNull();
    expect(notesProblem({ type: 'link', url: 'https://example.org/x' })).toBeNull();
    expect(notesProblem({ type: 'link', url: '../other-run/' })).toBeNull();
    expect(notesProblem({ type: 'link', url: '#notes' })).toBeNull();
    expect(notesProblem(jsx('Metric', [{ name: 'engine', value: 'vllm' }, { name: 'metric', value: 'ttft' }]))).toBeNull();
    expect(notesProblem(jsx('Chart', [{ name: 'name', value: 'sweep' }]))).toBeNull();
  });

  it('refuses what would run code or load from elsewhere', () => {
    expect(notesProblem({ type: 'mdxjsEsm' })).toMatch(/import and export are not allowed/);
    expect(notesProblem({ type: 'mdxTextExpression' })).toMatch(/expressions are not allowed/);
    expect(notesProblem({ type: 'mdxFlowExpression' })).toMatch(/expressions are not allowed/);
    expect(notesProblem(jsx('script'))).toMatch(/<script> is not allowed in notes: only <Metric>, <Delta>, <Verdict>, <Chart>/);
    expect(notesProblem(jsx('img', [{ name: 'src', value: 'https://x' }]))).toMatch(/<img> is not allowed/);
    expect(notesProblem({ type: 'image', url: 'https://example.org/a.png' })).toMatch(/images are not allowed/);
    expect(notesProblem({ type: 'link', url: 'javascript:alert(1)' })).toMatch(/is not http\(s\), mailto or relative/);
    expect(notesProblem({ type: 'definition', url: '//evil.example/x' })).toMatch(/is not http\(s\)/);
    expect(notesProblem(jsx('Metric', [{ name: 'engine', value: { type: 'mdxJsxAttributeValueExpression', value: 'process.env' } }]))).toMatch(/must be a quoted string/);
    expect(notesProblem(jsx('Metric', [{ type: 'mdxJsxExpressionAttribute', value: '...x' }]))).toMatch(/plain props only/);
    expect(notesProblem(jsx('Metric', [{ name: 'onclick', value: 'x' }]))).toMatch(/has no prop "onclick"/);
    expect(notesProblem(jsx('Verdict', [], [{ type: 'text' }]))).toMatch(/takes no children/);
  });

  it('stops the compile after visiting, naming the file and every problem', () => {
    const plugin = notesGuardPlugin() as unknown as Record<string, (node: object, context?: object) => void>;
    plugin['before']!({});
    plugin['mdxjsEsm']!({ type: 'mdxjsEsm', position: { start: { line: 3, column: 1 } } });
    plugin['link']!({ type: 'link', url: 'https://example.org' });
    const context = { fileURL: new URL('file:///runs/x/notes.mdx'), setProperty: () => undefined };
    expect(() => plugin['after']!({}, context)).toThrow(/^\/runs\/x\/notes\.mdx is not allowed as it is .*\n  \/runs\/x\/notes\.mdx:3:1: import and export are not allowed in notes/s);
    // A fresh plugin per compile: what one file broke does not follow another.
    const next = notesGuardPlugin() as unknown as Record<string, (node: object, context?: object) => void>;
    expect(() => next['after']!({}, context)).not.toThrow();
  });

  it('reports every problem with its line, nested ones included', () => {
    const tree = {
      type: 'root',
      children: [
        { type: 'mdxjsEsm', position: { start: { line: 1, column: 1 } } },
        { type: 'paragraph', children: [{ type: 'mdxTextExpression', position: { start: { line: 4, column: 7 } } }] },
      ],
    };
    expect(notesProblems(tree).map((p) => [p.line, p.column])).toEqual([[1, 1], [4, 7]]);
  });

  it('puts the notes\u2019 headings under the page\u2019s Notes heading', () => {
    const headings = [{ depth: 1 }, { depth: 5 }];
    const context = { setProperty: (node: object, key: string, value: unknown) => Object.assign(node, { [key]: value }) };
    for (const h of headings) notesHeadingsPlugin().heading(h, context);
    expect(headings.map((h) => h.depth)).toEqual([3, 6]);
  });
});

describe('notes values', () => {
  it('reads a metric with its interval from the run', () => {
    const phase = run.engines[0]!.phases[1]!;
    const m = metricOf(run, { engine: 'vllm-sim', phase: 'c8', metric: 'ttft', stat: 'p95' }, 'notes');
    expect(m.value).toBe(phase.ttftMs.p95);
    expect(m.text).toBe(`${phase.ttftMs.p95!.toFixed(1)} ms`);
    expect(m.intervalText).toBe(`${phase.ttftMs.ci95!.p95.lo!.toFixed(1)}–${phase.ttftMs.ci95!.p95.hi!.toFixed(1)}`);
    expect(metricOf(run, { engine: 'vllm-sim', phase: 'c8', metric: 'output_tokens_per_s' }, 'notes')).toMatchObject({ value: phase.outputTokensPerS, intervalText: null });
  });

  it('says a difference is inside the noise when the intervals overlap, and gives it when they do not', () => {
    for (const name of ['c1', 'c8', 'c32', 'c64']) {
      const a = run.engines[0]!.phases.find((p) => p.name === name)!.e2eMs;
      const b = run.engines[1]!.phases.find((p) => p.name === name)!.e2eMs;
      const d = deltaOf(run, { a: 'vllm-sim', b: 'tgi-sim', phase: name, metric: 'e2e', stat: 'p50' }, 'notes');
      const apart = a.ci95!.p50.hi! < b.ci95!.p50.lo! || b.ci95!.p50.hi! < a.ci95!.p50.lo!;
      expect(d.status).toBe(apart ? 'apart' : 'noise');
      expect(d.difference).toBeCloseTo(b.p50! - a.p50!, 9);
      expect(d.text).toMatch(apart ? / lower for (vllm|tgi)-sim \(.*; the 95 % intervals do not overlap\)$/ : /^inside the noise \(.*; the 95 % intervals overlap\)$/);
    }
  });

  it('gives a verdict on one objective or on all of them', () => {
    const phase = run.engines[1]!.phases[2]!;
    expect(verdictOf(run, { engine: 'tgi-sim', phase: 'c32', objective: 'ttft:p95<1s' }, 'notes').verdict).toBe(phase.slo!.verdicts[0]!.verdict);
    expect(verdictOf(run, { engine: 'tgi-sim', phase: 'c32' }, 'notes')).toMatchObject({ verdict: phase.slo!.verdict, text: expect.stringContaining('every objective together') });
  });

  it('stops on a name the run does not have, listing what it has', () => {
    expect(() => metricOf(run, { engine: 'vlm', phase: 'c1', metric: 'ttft' }, 'x/notes.mdx: <Metric>')).toThrow(new NotesError('x/notes.mdx: <Metric>: engine="vlm" is not an engine of this run ("vllm-sim", "tgi-sim")'));
    expect(() => metricOf(run, { engine: 'vllm-sim', phase: 'c2', metric: 'ttft' }, 'n')).toThrow(/phase="c2" is not a phase vllm-sim ran \("c1", "c8", "c32", "c64"\)/);
    expect(() => metricOf(run, { engine: 'vllm-sim', phase: 'c1', metric: 'ttft', stat: 'p42' }, 'n')).toThrow(/stat="p42" is not one of/);
    expect(() => metricOf(run, { engine: 'vllm-sim', phase: 'c1', metric: 'latency' }, 'n')).toThrow(/metric="latency" is not one of/);
    expect(() => verdictOf(run, { engine: 'vllm-sim', phase: 'c1', objective: 'ttft:p99<1s' }, 'n')).toThrow(/objective="ttft:p99<1s" is not one of this run's/);
  });
});

describe('notes checked against their run', () => {
  const source = 'At 8 users: <Metric engine="vllm-sim" phase="c8" metric="ttft"/>.\n\n<Delta a="vllm-sim" b="tgi" phase="c9" metric="e2e"/>\n\n<Chart name="swep"/>\n';

  it('names each component whose props name what the run does not have, with what it has', () => {
    const problem = notesSourceProblem(source, 'x/notes.mdx', { run, charts: [{ id: 'sweep' }] });
    expect(problem).toBe(
      'x/notes.mdx: 2 components name what this run does not have:\n' +
        '  x/notes.mdx:3:1: <Delta> (a): phase="c9" is not a phase vllm-sim ran ("c1", "c8", "c32", "c64")\n' +
        '  x/notes.mdx:5:1: <Chart>: name="swep" is not a chart of this run ("sweep")\n' +
        '  hint: change each prop to one of the names listed after it, or remove the component',
    );
  });

  it('leaves <Chart> names to the page before the charts are derived, and checks nothing without the run', () => {
    expect(notesSourceProblem(source, 'x/notes.mdx', { run, charts: null })).not.toContain('<Chart>');
    expect(notesSourceProblem(source, 'x/notes.mdx')).toBeNull();
    expect(notesSourceProblem(source.replace('c9', 'c8').replace('"tgi"', '"tgi-sim"').replace('swep', 'sweep'), 'x/notes.mdx', { run, charts: [{ id: 'sweep' }] })).toBeNull();
  });
});
