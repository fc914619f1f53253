// benchmark.yml's job run here against the simulator (the engines are SIMULATED): the scenario
// from the repository variable, the engines from SERVEBENCH_ENGINES, the key from the secret,
// and the run committed by the bot and pushed to the origin.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { baseEnv, checkout, git, makeSandbox, PROJECT, type Sandbox } from './checkout.ts';
import { readWorkflow, runJob, type JobRun, type JobSetup, type Workflow } from './run-job.ts';

const KEY = 'sk-bench-7Hq2v9ZsecretKEY';
const FAST = { decodeStepBaseMs: 1, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };
const SKIPPED = {
  'actions/checkout@v4': 'the test clones the origin itself (checkout.ts)',
  'actions/setup-node@v4': "the project's pinned Node 24 is on PATH",
  Install: "needs the npm registry; the project's node_modules is linked in",
  'Publish the site': 'dispatches pages.yml through the GitHub API (pages.test.ts runs that workflow)',
};

describe('benchmark.yml', () => {
  let sandbox: Sandbox;
  let sim: Simulation;
  let workflow: Workflow;

  beforeAll(async () => {
    sandbox = await makeSandbox();
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 5, overrides: FAST });
    workflow = await readWorkflow(join(PROJECT, '.github/workflows/benchmark.yml'));
  });
  afterAll(async () => {
    await sim?.close();
    if (sandbox) await rm(sandbox.root, { recursive: true, force: true });
  });

  async function setup(name: string, config: string): Promise<JobSetup> {
    const { workspace, temp } = await checkout(sandbox, name);
    await mkdir(join(workspace, 'bench'));
    // The file's engine is unreachable: the SERVEBENCH_ENGINES variable replaces it.
    await writeFile(join(workspace, 'bench', 'nightly.yaml'), `name: nightly\nmodel: ${sim.engines[0]!.model}\nrequests: 4\nconcurrency: 1\nmaxTokens: 8\nengines:\n  - kind: vllm\n    url: http://127.0.0.1:9\n`);
    return {
      workspace,
      temp,
      github: { GITHUB_REPOSITORY: 'octo/servebench', GITHUB_REPOSITORY_OWNER: 'octo', GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
      env: baseEnv(sandbox),
      expressions: {
        'vars.SERVEBENCH_RUNNER || \'ubuntu-latest\'': 'ubuntu-latest',
        'inputs.config || vars.SERVEBENCH_CONFIG': config,
        'vars.SERVEBENCH_ENGINES': `vllm=${sim.engines[0]!.url}`,
        'secrets.SERVEBENCH_API_KEY': KEY,
      },
      skip: SKIPPED,
    };
  }

  it('measures the configured engines and pushes the run as the bot, the key in no output or file', async () => {
    const before = git(sandbox.originDir, 'rev-parse', 'main').trim();
    const run: JobRun = await runJob(workflow, 'collect', await setup('scheduled', 'bench/nightly.yaml'));
    expect(run.steps.filter((s) => !s.skipped).map((s) => s.step)).toEqual(['Measure', 'Commit the run']);
    expect(run.outputs['commit']).toEqual({ committed: 'true' });
    const log = git(sandbox.originDir, 'log', '-1', '--format=%P%n%an <%ae>%n%s', 'main').split('\n');
    expect(log[0]).toBe(before);
    expect(log[1]).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    const added = git(sandbox.originDir, 'diff', '--name-only', before, 'main').trim().split('\n');
    const runId = added[0]!.split('/')[1]!;
    expect(log[2]).toBe(`Benchmark run ${runId}`);
    expect(added).toContain(`runs/${runId}/run.json`);
    expect(added.every((f) => f.startsWith(`runs/${runId}/`))).toBe(true);
    const runJson = git(sandbox.originDir, 'show', `main:runs/${runId}/run.json`);
    expect(runJson).toContain(sim.engines[0]!.url.replace(/\/$/, ''));
    expect(runJson).not.toContain(KEY);
    for (const step of run.steps) expect(`${step.stdout ?? ''}${step.stderr ?? ''}`).not.toContain(KEY);
  }, 90_000);

  it('stops with a clear error and commits nothing when no scenario file is set', async () => {
    const before = git(sandbox.originDir, 'rev-parse', 'main').trim();
    await expect(runJob(workflow, 'collect', await setup('unset', ''))).rejects.toThrow(/step "Measure" exited 2[\s\S]*set the repository variable SERVEBENCH_CONFIG/);
    expect(git(sandbox.originDir, 'rev-parse', 'main').trim()).toBe(before);
  });
});
