// Both stages of the PR preview run here: pr-preview.yml builds the site under /REPO/pr-7/ and
// its artifact is handed to pr-preview-publish.yml, which checks the PR (against a fake `gh`
// that answers as the GitHub API would), stores the preview on gh-pages in the origin, writes
// the comment, and removes the preview when the PR closes.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, checkout, git, makeSandbox, PROJECT, SAMPLE_RUN, type Sandbox } from './checkout.ts';
import { readWorkflow, runJob, type JobRun, type JobSetup, type Workflow } from './run-job.ts';
import { SLOWER_ID, SWEEP, SWEEP_ID, writeSlowerSweep } from '../support/slower-sweep.ts';

const HEAD_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const GITHUB = { GITHUB_REPOSITORY: 'octo/servebench', GITHUB_REPOSITORY_OWNER: 'octo', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' };
const BUILD_EXPRESSIONS = {
  'github.event.repository.name': 'servebench',
  'github.repository_owner': 'octo',
  'github.event.pull_request.number': '7',
  'github.event.pull_request.head.sha': HEAD_SHA,
  'github.event.pull_request.base.ref': 'main',
};
const BUILD_SKIPPED = {
  'actions/checkout@v4': 'the test clones the origin itself (checkout.ts)',
  'actions/setup-node@v4': "the project's pinned Node 24 is on PATH",
  Install: "needs the npm registry; the project's node_modules is linked in",
  'actions/upload-artifact@v4': "GitHub's artifact store: the test hands preview/ to stage 2 itself",
};
const PUBLISH_EXPRESSIONS = {
  'github.event.repository.default_branch': 'main',
  'runner.temp': '',
  'github.event.workflow_run.id': '99',
  'github.token': 'unused-token',
  'github.repository': 'octo/servebench',
  'github.event.workflow_run.head_sha': HEAD_SHA,
  'vars.SERVEBENCH_PREVIEW_FORKS': '',
  'github.event.repository.name': 'servebench',
  'github.repository_owner': 'octo',
};
const PUBLISH_SKIPPED = {
  'actions/checkout@v4': 'the test clones the origin itself (checkout.ts)',
  'actions/download-artifact@v4': "GitHub's artifact store: stage 1's preview/ is copied to RUNNER_TEMP instead",
  'Deploy Pages': 'dispatches pages.yml through the GitHub API (pages.test.ts runs that workflow)',
  'Post the comment': "the GitHub API's comments",
};

/** A `gh` that answers `gh api repos/R/pulls/N --jq …` with the PR the test describes. */
async function fakeGh(dir: string, pull: { sha: string; repo: string; state: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tsv = [pull.sha, pull.repo, pull.state].join('\t');
  await writeFile(join(dir, 'gh'), `#!/bin/sh\ncase "$2" in repos/octo/servebench/pulls/7) printf '%s\\n' '${tsv}' ;; *) echo "unexpected gh $*" >&2; exit 1 ;; esac\n`, { mode: 0o755 });
}

describe('pr-preview.yml and pr-preview-publish.yml', () => {
  let sandbox: Sandbox;
  let publisher: Workflow;
  let preview: string;
  let build: JobRun;

  beforeAll(async () => {
    sandbox = await makeSandbox();
    const { workspace, temp } = await checkout(sandbox, 'pr-build');
    build = await runJob(await readWorkflow(join(PROJECT, '.github/workflows/pr-preview.yml')), 'build', {
      workspace,
      temp,
      github: { ...GITHUB, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
      env: baseEnv(sandbox),
      expressions: BUILD_EXPRESSIONS,
      skip: BUILD_SKIPPED,
    });
    preview = join(workspace, 'preview');
    publisher = await readWorkflow(join(PROJECT, '.github/workflows/pr-preview-publish.yml'));
  }, 120_000);
  afterAll(async () => {
    if (sandbox) await rm(sandbox.root, { recursive: true, force: true });
  });

  async function publish(name: string, pull: { sha: string; repo: string; state: string }, expressions: Record<string, string> = {}): Promise<{ run: JobRun; temp: string }> {
    const { workspace, temp } = await checkout(sandbox, name);
    await cp(preview, join(temp, 'preview'), { recursive: true });
    const bin = join(sandbox.root, `${name}-bin`);
    await fakeGh(bin, pull);
    const run = await runJob(publisher, 'publish', {
      workspace,
      temp,
      github: { ...GITHUB, GITHUB_EVENT_NAME: 'workflow_run' },
      env: baseEnv(sandbox, [bin]),
      expressions: { ...PUBLISH_EXPRESSIONS, 'runner.temp': temp, ...expressions },
      skip: PUBLISH_SKIPPED,
    });
    return { run, temp };
  }

  it('stage 1 builds the site under the PR base path and names the PR and commit', async () => {
    expect(build.steps.filter((s) => !s.skipped).map((s) => s.step)).toEqual(['Build the preview', "Compare the PR's runs with the base branch's", 'Describe the preview', 'Fail on a regression']);
    expect(await readFile(join(preview, 'site', 'index.html'), 'utf8')).toContain(`href="/servebench/pr-7/runs/${SAMPLE_RUN}/`);
    expect((await readFile(join(preview, 'pr-number'), 'utf8')).trim()).toBe('7');
    expect((await readFile(join(preview, 'head-sha'), 'utf8')).trim()).toBe(HEAD_SHA);
    // The PR adds no run: nothing to compare, no diff in the comment.
    await expect(readFile(join(preview, 'diff.md'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('stage 2 stores the preview under pr-7/ on gh-pages and writes one comment with its link', async () => {
    const { run, temp } = await publish('publish', { sha: HEAD_SHA, repo: 'octo/servebench', state: 'open' });
    expect(run.outputs['pr']).toEqual({ number: '7', publish: 'true' });
    const files = git(sandbox.originDir, 'ls-tree', '-r', '--name-only', 'gh-pages').split('\n');
    expect(files).toContain('pr-7/index.html');
    expect(files.every((f) => f === '' || f.startsWith('pr-7/'))).toBe(true);
    const comment = await readFile(join(temp, 'comment.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe('<!-- servebench-pr-preview -->');
    expect(comment).toContain('https://octo.github.io/servebench/pr-7/');
    expect(comment).toContain(HEAD_SHA.slice(0, 7));
  });

  it('stage 2 refuses an artifact whose PR head is not the commit stage 1 built', async () => {
    await expect(publish('publish-stale', { sha: 'f'.repeat(40), repo: 'octo/servebench', state: 'open' })).rejects.toThrow(/step "Check the PR" exited 1[\s\S]*is not open at/);
  });

  it('a fork\'s preview is built but not published unless the repository allows it', async () => {
    const before = git(sandbox.originDir, 'rev-parse', 'gh-pages');
    const { run, temp } = await publish('publish-fork', { sha: HEAD_SHA, repo: 'mallory/servebench', state: 'open' });
    expect(run.outputs['pr']?.['publish']).toBe('false');
    expect(run.steps.find((s) => s.step === 'Store the preview on gh-pages')?.skipped).toMatch(/condition/);
    expect(git(sandbox.originDir, 'rev-parse', 'gh-pages')).toBe(before);
    expect(await readFile(join(temp, 'comment.md'), 'utf8')).toContain('not published: this PR comes from a fork');
  });

  it('links a user site\'s preview (the repository OWNER.github.io) from the root', async () => {
    const { temp } = await publish('publish-user-site', { sha: HEAD_SHA, repo: 'octo/servebench', state: 'open' }, { 'github.event.repository.name': 'Octo.github.io' });
    expect(await readFile(join(temp, 'comment.md'), 'utf8')).toContain('https://octo.github.io/pr-7/\n');
  });

  it('closing the PR removes its preview from gh-pages', async () => {
    const { workspace, temp } = await checkout(sandbox, 'remove');
    const run = await runJob(publisher, 'remove', {
      workspace,
      temp,
      github: { ...GITHUB, GITHUB_EVENT_NAME: 'pull_request_target' },
      env: baseEnv(sandbox),
      expressions: { 'github.event.repository.default_branch': 'main', 'github.event.pull_request.number': '7', 'github.token': 'unused-token' },
      skip: { 'actions/checkout@v4': 'the test clones the origin itself (checkout.ts)', 'Deploy Pages': 'dispatches pages.yml through the GitHub API' },
    });
    expect(run.outputs['remove']).toEqual({ removed: 'true' });
    expect(git(sandbox.originDir, 'ls-tree', '-r', '--name-only', 'gh-pages').trim()).toBe('');
  });
});

// Stage 1's comparison of the runs a PR adds with the base branch's: the base branch (main in
// the origin) holds the slo-sweep run, the PR adds a copy whose TGI decodes 15 % slower.
describe('pr-preview.yml compares the runs a PR adds with the base branch', () => {
  let sandbox: Sandbox;
  let workflow: Workflow;

  beforeAll(async () => {
    sandbox = await makeSandbox();
    const seed = join(sandbox.root, 'seed');
    await cp(SWEEP, join(seed, 'runs', SWEEP_ID), { recursive: true });
    git(seed, 'add', 'runs');
    git(seed, 'commit', '-q', '-m', 'the sweep');
    git(seed, 'push', '-q', sandbox.origin, 'main');
    workflow = await readWorkflow(join(PROJECT, '.github/workflows/pr-preview.yml'));
  }, 60_000);
  afterAll(async () => {
    if (sandbox) await rm(sandbox.root, { recursive: true, force: true });
  });

  /** Stage 1 on a PR whose tree is main's plus the slower sweep (written, as a merge would hold it). */
  async function buildPr(name: string, skip: JobSetup['skip'] = {}): Promise<{ run: Promise<JobRun>; preview: string }> {
    const { workspace, temp } = await checkout(sandbox, name);
    await writeSlowerSweep(join(workspace, 'runs'));
    const run = runJob(workflow, 'build', {
      workspace,
      temp,
      github: { ...GITHUB, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
      env: baseEnv(sandbox),
      expressions: BUILD_EXPRESSIONS,
      skip: { ...BUILD_SKIPPED, ...skip },
    });
    return { run, preview: join(workspace, 'preview') };
  }

  it('a run 15 % slower than the base\'s: the diff names the regression, the preview is built, the last step fails', async () => {
    const { run, preview } = await buildPr('pr-slower');
    await expect(run).rejects.toThrow(/step "Fail on a regression" exited 1[\s\S]*regressed against the base branch/);
    const diff = await readFile(join(preview, 'diff.md'), 'utf8');
    expect(diff).toContain(`**Run \`${SLOWER_ID}\`**, added by this PR:`);
    expect(diff).toContain(SWEEP_ID);
    expect(diff).toMatch(/\| tgi-sim \| c1 \| ITL p50 \|.*\*\*regression\*\* \|/);
    expect(await readFile(join(preview, 'site', 'index.html'), 'utf8')).toContain(`/servebench/pr-7/runs/${SLOWER_ID}/`);
    expect((await readFile(join(preview, 'head-sha'), 'utf8')).trim()).toBe(HEAD_SHA);
    // The failing step is the last one and comes after the upload, so the artifact was handed over.
    const names = workflow.jobs['build']!.steps.map((s) => s.name ?? s.uses);
    expect(names.at(-1)).toBe('Fail on a regression');
    expect(names.indexOf('actions/upload-artifact@v4')).toBe(names.length - 2);
  }, 180_000);

  it('a run with no comparable run on the base branch passes with a line saying so', async () => {
    // The base holds only the demo run: nothing the sweep may be compared with.
    const alone = await makeSandbox();
    const saved = sandbox;
    sandbox = alone;
    try {
      const { run, preview } = await buildPr('pr-alone', { 'Build the preview': 'the first test builds the site; this one is about the comparison' });
      const job = await run;
      expect(job.outputs['diff']).toEqual({ failed: 'false' });
      const diff = await readFile(join(preview, 'diff.md'), 'utf8');
      expect(diff).toContain(`**Run \`${SLOWER_ID}\`**, added by this PR:`);
      expect(diff).toContain('No comparable run on `main`');
      expect(job.steps.at(-1)).toMatchObject({ step: 'Fail on a regression', code: 0 });
    } finally {
      sandbox = saved;
      await rm(alone.root, { recursive: true, force: true });
    }
  }, 120_000);
});
