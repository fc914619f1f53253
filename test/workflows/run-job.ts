// Runs one job of a GitHub workflow here, as a runner would: each `run:` step in order in bash
// (GitHub's `bash --noprofile --norc -eo pipefail`), with the GITHUB_* variables, the workflow's,
// job's and step's env, what earlier steps wrote to $GITHUB_ENV, and their $GITHUB_OUTPUT as
// steps.<id>.outputs. Actions (`uses:`) and steps that need GitHub itself are skipped, each with
// its reason; an expression the test gave no value for stops the run, so a workflow that grows
// a new input or secret makes its test say what it should be.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string | number | boolean>;
}

export interface Workflow {
  name?: string;
  on: unknown;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; if?: string; env?: Record<string, string>; steps: Step[]; permissions?: Record<string, string> }>;
}

export interface JobSetup {
  workspace: string;
  /** RUNNER_TEMP, also the home of the fake GITHUB_ENV and GITHUB_OUTPUT files. */
  temp: string;
  /** GitHub's own variables for this event: GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_REF… */
  github: Record<string, string>;
  /** Variables that are the test's, not GitHub's (PATH, a cache directory of its own). */
  env: Record<string, string>;
  /** The value of each `${{ … }}` expression the job uses, keyed by its text. */
  expressions: Record<string, string>;
  /** Steps (by name, id or `uses`) not run here, with the reason. Actions must be listed. */
  skip: Record<string, string>;
  /** Outputs of skipped steps that later steps read, by step id. */
  outputs?: Record<string, Record<string, string>>;
}

export interface StepRun {
  step: string;
  skipped?: string;
  code?: number | null;
  stdout?: string;
  stderr?: string;
}

export interface JobRun {
  steps: StepRun[];
  outputs: Record<string, Record<string, string>>;
  env: Record<string, string>;
}

export async function readWorkflow(file: string): Promise<Workflow> {
  return parse(await readFile(file, 'utf8')) as Workflow;
}

const stepLabel = (step: Step): string => step.name ?? step.id ?? step.uses ?? step.run?.split('\n')[0] ?? '?';

/** KEY=VALUE lines and KEY<<DELIM heredocs, the two forms GitHub reads from these files. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end === -1) throw new Error(`unterminated ${heredoc[2]} block for ${heredoc[1]}`);
      values[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line.trim() !== '') {
      throw new Error(`not a command file line: ${line}`);
    }
  }
  return values;
}

export async function runJob(workflow: Workflow, jobId: string, setup: JobSetup): Promise<JobRun> {
  const job = workflow.jobs[jobId];
  if (!job) throw new Error(`no job ${jobId}`);
  const outputs: Record<string, Record<string, string>> = structuredClone(setup.outputs ?? {});
  const addedEnv: Record<string, string> = {};
  const runs: StepRun[] = [];

  const value = (expression: string, where: string): string => {
    const text = expression.trim();
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(text);
    if (output) return outputs[output[1]!]?.[output[2]!] ?? '';
    const envRef = /^env\.(\w+)$/.exec(text);
    if (envRef && workflow.env?.[envRef[1]!] !== undefined) return workflow.env[envRef[1]!]!;
    const comparison = /^(.+?)\s*==\s*'([^']*)'$/.exec(text);
    if (comparison) return String(value(comparison[1]!, where) === comparison[2]);
    if (!(text in setup.expressions)) throw new Error(`${where}: the test gives no value for \${{ ${text} }}`);
    return setup.expressions[text]!;
  };
  const substitute = (text: string, where: string): string => text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => value(expression, where));

  for (const step of job.steps) {
    const label = stepLabel(step);
    const reason = setup.skip[label] ?? (step.id ? setup.skip[step.id] : undefined) ?? (step.uses ? setup.skip[step.uses] : undefined);
    if (reason !== undefined) {
      runs.push({ step: label, skipped: reason });
      continue;
    }
    if (step.run === undefined) throw new Error(`step "${label}" (${step.uses}) is an action: list it in skip with the reason`);
    if (step.if !== undefined && value(step.if.replace(/^\$\{\{|\}\}$/g, ''), label) !== 'true') {
      runs.push({ step: label, skipped: `its condition (${step.if}) is false` });
      continue;
    }

    const envFile = join(setup.temp, `env-${runs.length}`);
    const outputFile = join(setup.temp, `output-${runs.length}`);
    await writeFile(envFile, '');
    await writeFile(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), label)]));
    const env = {
      ...setup.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: setup.workspace,
      RUNNER_TEMP: setup.temp,
      GITHUB_ENV: envFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(setup.temp, 'step-summary'),
      ...setup.github,
      ...Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, substitute(String(v), label)])),
      ...Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, substitute(String(v), label)])),
      ...addedEnv,
      ...stepEnv,
    };
    const script = join(setup.temp, `step-${runs.length}.sh`);
    await writeFile(script, substitute(step.run, label));
    const result = await bash(script, setup.workspace, env);
    runs.push({ step: label, ...result });
    if (result.code !== 0) {
      throw new Error(`step "${label}" exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    }
    Object.assign(addedEnv, parseCommandFile(await readFile(envFile, 'utf8')));
    if (step.id) outputs[step.id] = { ...outputs[step.id], ...parseCommandFile(await readFile(outputFile, 'utf8')) };
  }
  return { steps: runs, outputs, env: addedEnv };
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
