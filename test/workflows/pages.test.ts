// pages.yml's build job run here step by step over one sample run: the browser, the site and
// PDF build under the Pages base path, and the PR previews copied in from gh-pages.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPagesBranch, baseEnv, checkout, makeSandbox, PROJECT, SAMPLE_RUN, type Sandbox } from './checkout.ts';
import { readWorkflow, runJob, type JobRun } from './run-job.ts';

const SKIPPED = {
  'actions/checkout@v4': 'the test clones the origin itself (checkout.ts)',
  'actions/setup-node@v4': "the project's pinned Node 24 is on PATH",
  Install: 'needs the npm registry; the project\'s node_modules is linked in',
  pages: 'configure-pages asks the GitHub API; its outputs are given below',
  'actions/cache@v4': 'GitHub\'s cache service; the build uses a cache directory of the test\'s own',
  'actions/upload-pages-artifact@v3': 'uploads to GitHub',
};

describe('pages.yml', () => {
  let sandbox: Sandbox;
  let workspace: string;
  let run: JobRun;

  beforeAll(async () => {
    sandbox = await makeSandbox();
    await addPagesBranch(sandbox, { 'pr-7/index.html': '<p>preview of PR 7</p>', 'README.md': 'not a preview' });
    const checkedOut = await checkout(sandbox, 'workspace');
    workspace = checkedOut.workspace;
    const workflow = await readWorkflow(join(PROJECT, '.github/workflows/pages.yml'));
    run = await runJob(workflow, 'build', {
      workspace,
      temp: checkedOut.temp,
      github: { GITHUB_REPOSITORY: 'octo/servebench', GITHUB_REPOSITORY_OWNER: 'octo', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
      env: baseEnv(sandbox),
      expressions: {},
      skip: SKIPPED,
      outputs: { pages: { base_path: '/servebench/', origin: 'https://octo.github.io' } },
    });
  }, 120_000);
  afterAll(async () => {
    if (sandbox) await rm(sandbox.root, { recursive: true, force: true });
  });

  it('runs every shell step, skipping only what needs GitHub', () => {
    expect(run.steps.filter((s) => s.skipped === undefined).map((s) => s.step)).toEqual(['Browser for the PDFs', 'Build the site and PDFs', 'Add the PR previews']);
    expect(run.steps.filter((s) => s.skipped !== undefined)).toHaveLength(Object.keys(SKIPPED).length);
  });

  it('builds the site under the Pages base path with the newest run\'s PDFs', async () => {
    const index = await readFile(join(workspace, 'dist', 'index.html'), 'utf8');
    expect(index).toContain(`href="/servebench/runs/${SAMPLE_RUN}/`);
    expect(existsSync(join(workspace, 'dist', 'runs', SAMPLE_RUN, 'report.pdf'))).toBe(true);
    expect(existsSync(join(workspace, 'dist', 'runs', SAMPLE_RUN, 'executive.pdf'))).toBe(true);
    // The origin from configure-pages makes the share card's URL absolute, as link previews need.
    const report = await readFile(join(workspace, 'dist', 'runs', SAMPLE_RUN, 'index.html'), 'utf8');
    expect(report).toContain(`content="https://octo.github.io/servebench/runs/${SAMPLE_RUN}/card.png"`);
  });

  it('publishes the open PR previews from gh-pages beside the site, and nothing else from it', async () => {
    expect(await readFile(join(workspace, 'dist', 'pr-7', 'index.html'), 'utf8')).toBe('<p>preview of PR 7</p>');
    expect(existsSync(join(workspace, 'dist', 'README.md'))).toBe(false);
  });
});
