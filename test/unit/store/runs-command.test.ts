import { Command, CommanderError } from 'commander';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../collector/cli.ts';
import type { CommandIO } from '../../../collector/commands/command.ts';
import { runs } from '../../../collector/commands/runs.ts';
import { isServebenchError } from '../../../collector/errors.ts';
import { canonicalScenarioHash } from '../../../collector/store/scenario-hash.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));
const GOLDEN_ID = '20250612-093000-golden-chat-smoke-3fa4';

let cwd: string;
let runsDir: string;

// cwd/runs holds the golden run under its id plus three broken copies; cwd/empty is an empty runs dir.
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'servebench-cmd-'));
  runsDir = join(cwd, 'runs');
  await cp(GOLDEN, join(runsDir, GOLDEN_ID), { recursive: true });
  const text = await readFile(join(GOLDEN, 'run.json'), 'utf8');
  const broken = async (name: string, runJson: string) => {
    await cp(GOLDEN, join(cwd, 'broken', name), { recursive: true });
    await writeFile(join(cwd, 'broken', name, 'run.json'), runJson);
  };
  const doc = JSON.parse(text) as { schemaVersion: number; engines: { phases: { ttftMs: { p50: unknown } }[] }[] };
  await broken('truncated', text.slice(0, 3000));
  doc.engines[0]!.phases[0]!.ttftMs.p50 = '12ms';
  await broken('wrong-type', JSON.stringify(doc, null, 2));
  doc.engines[0]!.phases[0]!.ttftMs.p50 = 12;
  doc.schemaVersion = 99;
  await broken('future', JSON.stringify(doc, null, 2));
  await mkdir(join(cwd, 'empty'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function fakeIO(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd, signal: new AbortController().signal };
}

/** The runs module alone on a program configured like cli.ts's, errors mapped to their exit codes. */
async function runsCommand(...argv: string[]): Promise<Result> {
  const io = fakeIO();
  const program = new Command('servebench').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  runs.define(program, io);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (isServebenchError(error)) {
      code = error.exitCode;
      io.stderr(`${error.message}\n  hint: ${error.hint}\n`);
    } else if (error instanceof CommanderError) code = error.exitCode;
    else throw error;
  }
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

async function cli(...argv: string[]): Promise<Result> {
  const io = fakeIO();
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

describe('servebench runs list', () => {
  it('shows a table of runs, newest first, simulated engines labelled', async () => {
    const { code, stdout } = await runsCommand('runs', 'list');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+NAME\s+ENGINES\s+OK\s+FAILED\s+STARTED$/);
    expect(lines[1]).toMatch(new RegExp(`^${GOLDEN_ID}\\s+completed\\s+golden chat smoke\\s+vllm-a, ollama-b SIMULATED\\s+4\\s+2\\s+2025-06-12 09:30:00Z$`));
    expect(lines[2]).toBe(`1 run in ${runsDir}`);
  });

  it('lists invalid runs with their error instead of hiding them', async () => {
    const { code, stdout } = await runsCommand('runs', 'list', '--runs', 'broken');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrong-type\s+INVALID\s+.*wrong-type\/run.json does not match run format v4 \(1 problem\):$/m);
    expect(stdout).toMatch(/^truncated\s+INVALID\s+.*is cut short/m);
    expect(stdout).toMatch(/^future\s+INVALID\s+.*is in run format v99/m);
    expect(stdout).toContain('3 runs in');
    expect(stdout).toContain('(3 invalid: `servebench runs validate` shows why)');
  });

  it('prints JSON rows with --json', async () => {
    const rows = JSON.parse((await runsCommand('runs', 'list', '--json')).stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({ id: GOLDEN_ID, status: 'completed', ok: 4, failed: 2, dir: join(runsDir, GOLDEN_ID) }),
    ]);
  });

  it('says plainly when the runs directory is empty or missing, and exits 0', async () => {
    expect(await runsCommand('runs', 'list', '--runs', 'empty')).toEqual({ code: 0, stdout: `no runs in ${join(cwd, 'empty')}\n`, stderr: '' });
    const missing = await runsCommand('runs', 'list', '--runs', 'nowhere');
    expect(missing.code).toBe(0);
    expect(missing.stdout).toBe(`no runs directory at ${join(cwd, 'nowhere')} (nothing has been collected here yet)\n`);
  });
});

describe('servebench runs show', () => {
  it('shows identity, scenario and per engine and phase the headline numbers', async () => {
    const { code, stdout } = await runsCommand('runs', 'show', GOLDEN_ID);
    expect(code).toBe(0);
    expect(stdout).toContain(`run ${GOLDEN_ID} (completed)`);
    expect(stdout).toMatch(/^ {2}seed\s+42$/m);
    expect(stdout).toMatch(/^ {2}vllm-a\s+vllm\s+0\.6\.3\.post1\s+meta-llama\/Llama-3\.1-8B-Instruct\s+chat$/m);
    expect(stdout).toMatch(/^ {2}ollama-b\s+ollama\s+0\.3\.12\s+llama3\.1:8b\s+chat\s+SIMULATED$/m);
    expect(stdout).toMatch(/TTFT p50\s+p95\s+p99\s+TPOT p50\s+p95\s+p99\s+E2E p50\s+p95\s+p99\s+OUT TOK\/S/);
    expect(stdout).toMatch(/^ {2}vllm-a\s+main\s+2\s+1\s+0\s+43\.5\s+44\.9\s+45\.1\s+12\.9\s+13\.0\s+13\.0\s+134\.3\s+135\.4\s+135\.5\s+116\.9\s+-\s+-$/m);
    expect(stdout).toMatch(/^ {2}ollama-b SIMULATED\s+main\s+2\s+1\s+0\s+32\.3/m);
  });

  it('says a run without objectives has no SLO set, and prints the verdicts and capacity of one with them', async () => {
    const plain = await runsCommand('runs', 'show', GOLDEN_ID);
    expect(plain.stdout).toContain('service-level objectives: no SLO set');
    const sweep = fileURLToPath(new URL('../../fixtures/runs/slo-sweep/', import.meta.url));
    const { code, stdout } = await runsCommand('runs', 'show', sweep);
    expect(code).toBe(0);
    expect(stdout).toContain('service-level objectives (scenario): ttft:p95<1s  e2e:p95<1400ms  tpot:p50<60ms');
    expect(stdout).toContain('vllm-sim SIMULATED: about 39.59 users (interpolated between 32 users met and 64 users missed)');
  });

  it('accepts a run directory as well as an id', async () => {
    const { code, stdout } = await runsCommand('runs', 'show', join('runs', GOLDEN_ID));
    expect(code).toBe(0);
    expect(stdout).toContain(`run ${GOLDEN_ID} (completed)`);
  });

  it('prints the run JSON with --json, with the scenario hash the reader derives from its scenario', async () => {
    const { stdout } = await runsCommand('runs', 'show', GOLDEN_ID, '--json');
    const file = JSON.parse(await readFile(join(GOLDEN, 'run.json'), 'utf8')) as { scenario: Record<string, unknown> };
    expect(JSON.parse(stdout)).toEqual({ ...file, scenarioHash: canonicalScenarioHash(file.scenario) });
  });

  it('fails with RUN_NOT_FOUND (exit 4) for an unknown id', async () => {
    const { code, stderr } = await runsCommand('runs', 'show', 'nope');
    expect(code).toBe(4);
    expect(stderr).toContain(`no run "nope": neither ${join(runsDir, 'nope')} nor ${join(cwd, 'nope')} exists.`);
  });
});

describe('servebench runs validate', () => {
  it('prints ok for the golden run and exits 0', async () => {
    expect(await runsCommand('runs', 'validate', GOLDEN_ID)).toEqual({ code: 0, stdout: `ok ${join(runsDir, GOLDEN_ID)}\n`, stderr: '' });
  });

  it('checks every run under --runs when given no run', async () => {
    expect(await runsCommand('runs', 'validate')).toEqual({ code: 0, stdout: `ok ${join(runsDir, GOLDEN_ID)}\n`, stderr: '' });
  });

  it('notes a raw file cut by a crash without failing a partial run, and points at runs recover', async () => {
    const dir = join(cwd, 'in-progress');
    const started = JSON.parse(await readFile(join(GOLDEN, 'run.json'), 'utf8')) as { status: string; finishedAt: string | null; engines: { phases: unknown[] }[] };
    started.status = 'partial';
    started.finishedAt = null;
    for (const engine of started.engines) engine.phases = [];
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'run.json'), JSON.stringify(started));
    await writeFile(join(dir, 'requests.ndjson'), '{"seq": 0, "engi');
    const { code, stdout } = await runsCommand('runs', 'validate', 'in-progress');
    expect(code).toBe(0);
    expect(stdout).toBe(
      `ok ${dir}\n  note: ${join(dir, 'requests.ndjson')}: line 1 was cut short while being written (a crash?) and is ignored\n` +
        `  warning: run ${GOLDEN_ID} is partial: its collector is still running or stopped before it finished; if it is not running, \`servebench runs recover ${dir}\` completes it from its 0 raw records\n`,
    );
  });

  it('fails each broken fixture with exit 4 and its message', async () => {
    const truncated = await runsCommand('runs', 'validate', 'broken/truncated');
    expect(truncated.code).toBe(4);
    expect(truncated.stderr).toMatch(/truncated\/run\.json is cut short: the JSON stops in the middle of a value at line \d+, column \d+/);
    const wrong = await runsCommand('runs', 'validate', 'broken/wrong-type');
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('wrong-type/run.json: engines[0].phases[0].ttftMs.p50: expected number, got string "12ms"');
    const future = await runsCommand('runs', 'validate', 'broken/future');
    expect(future.code).toBe(4);
    expect(future.stderr).toMatch(/future\/run\.json is in run format v99, but this servebench \(.+\) reads run formats up to v4\./);
    expect(future.stderr).toContain('upgrade servebench');
  });

  it('reports every invalid run under --runs with its full error, then exits 4', async () => {
    const { code, stdout } = await runsCommand('runs', 'validate', '--runs', 'broken');
    expect(code).toBe(4);
    expect(stdout.match(/^INVALID /gm)).toHaveLength(3);
    expect(stdout).toContain('  hint: a newer servebench wrote this run: upgrade servebench to read it.');
    expect(stdout).toContain('(RUN_FUTURE_VERSION)');
  });

  it('gives each sub-command its own help', async () => {
    const { code, stdout } = await runsCommand('runs', 'validate', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: servebench runs validate [options] [id-or-dir]');
    expect(stdout).toContain('--runs <DIR>');
  });
});

describe('servebench runs through the CLI entry point', () => {
  it('exits 0 validating the golden run and 4 validating a broken one', async () => {
    expect((await cli('runs', 'validate', join('runs', GOLDEN_ID))).code).toBe(0);
    const broken = await cli('runs', 'validate', 'broken/wrong-type');
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/^servebench: .*wrong-type\/run\.json does not match run format v4 \(1 problem\):\n/);
    expect(broken.stderr).toContain('(RUN_INVALID, exit 4)');
  });
});
