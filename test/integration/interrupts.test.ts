// Nothing measured is lost: Ctrl-C writes an aborted run with every finished request, and a
// collector killed with SIGKILL leaves a run that `runs recover` completes.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { createTraceMemory } from '../../collector/sim/trace.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';
import { whenRecorded } from '../support/run-progress.ts';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));

async function records(dir: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const r of readRequests(dir)) out.push(r);
  return out;
}

/** Records a collection has on disk before the test interrupts it: it is measuring, with some answers kept. */
const RECORDS_BEFORE_SIGNAL = 11;

/**
 * Starts `servebench collect` as a real process and delivers `signal` once it has written
 * RECORDS_BEFORE_SIGNAL request records: however slowly the machine starts it, the signal comes
 * while it is collecting, never before and never after the phase ends.
 */
async function collectThenSignal(url: string, model: string, out: string, signal: NodeJS.Signals): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [CLI, 'collect', '--engine', `vllm=${url}`, '--model', model, '--requests', '400', '--concurrency', '4', '--max-tokens', '32', '--out', out, '--grace', '5'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))).finally(() => (exited = true));
  if (!(await whenRecorded(out, RECORDS_BEFORE_SIGNAL, { ended: () => exited }))) {
    throw new Error(`collect exited (${await exit}) before it had written ${RECORDS_BEFORE_SIGNAL} records:\n${stderr}`);
  }
  child.kill(signal);
  return exit;
}

describe('interrupted collections', () => {
  let tmp: string;
  let sim: Simulation;
  const trace = createTraceMemory();
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-interrupts-'));
    // About 30 requests/s at 4 users: a phase of 400 requests runs for over ten seconds, long after
    // the signal that comes once 11 records are written.
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 1, overrides: { decodeStepBaseMs: 4 }, trace });
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('on Ctrl-C, stops sending, lets requests in flight finish, writes an aborted run with every finished request and exits 130', async () => {
    const out = join(tmp, 'sigint');
    const engine = sim.engines[0]!;
    const before = trace.entries.length;
    expect(await collectThenSignal(engine.url, engine.model, out, 'SIGINT')).toBe(130);
    const [id] = await readdir(out);
    const dir = join(out, id!);
    const run = await readRun(dir);
    expect(run.status).toBe('aborted');
    const raw = await records(dir);
    const served = trace.entries.slice(before).filter((e) => e.outcome === 'ok').length;
    expect(raw.length).toBeGreaterThanOrEqual(RECORDS_BEFORE_SIGNAL);
    expect(raw.length).toBeLessThan(400);
    // Every answer the engine completed is in the run, and the in-flight ones finished within the grace period.
    expect(raw.filter((r) => r.status === 'ok').length).toBe(served);
    expect(run.engines[0]!.phases[0]!.requests.total).toBe(raw.length);
    expect(run.warnings.join(' ')).toContain('interrupted');
  });

  it('after SIGKILL, leaves a partial run that `runs recover` completes from the raw file', async () => {
    const out = join(tmp, 'sigkill');
    const engine = sim.engines[0]!;
    await collectThenSignal(engine.url, engine.model, out, 'SIGKILL');
    const [id] = await readdir(out);
    const dir = join(out, id!);
    const before = await readRun(dir);
    expect(before.status).toBe('partial');
    expect(before.engines[0]!.phases).toEqual([]);
    const io = captureIO(tmp);
    expect(await main(['runs', 'recover', dir], io)).toBe(0);
    expect(io.out()).toContain('recovered run');
    const run = await readRun(dir);
    expect(run.status).toBe('partial');
    const raw = await records(dir);
    expect(raw.length).toBeGreaterThanOrEqual(RECORDS_BEFORE_SIGNAL);
    expect(run.engines[0]!.phases[0]!.requests.total).toBe(raw.length);
    expect(run.finishedAt).not.toBeNull();
    const validate = captureIO(tmp);
    expect(await main(['runs', 'validate', dir], validate)).toBe(0);
  });
});
