// `servebench race` over real HTTP against simulated vLLM, Ollama and TGI: one prompt sent to
// every engine at the same moment, every answer shown, the race saved as a valid run.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { sanitize } from '../../collector/race/text.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';

const PROMPT = 'Why is the sky blue?';
const MODEL = 'race-model';

async function records(dir: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const r of readRequests(dir)) out.push(r);
  return out;
}

const lastJson = (out: string): { runId: string | null; runDir: string | null; status: string } => JSON.parse(out.trim().split('\n').at(-1)!);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('servebench race', () => {
  let tmp: string;
  let sim: Simulation;
  let engineArgs: string[];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-race-'));
    sim = await startSimulation(
      [
        { kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' },
        { kind: 'ollama', port: 0, profile: 'ollama', label: 'ollama' },
        { kind: 'tgi', port: 0, profile: 'tgi', label: 'tgi' },
      ],
      { seed: 1, model: MODEL, overrides: { decodeStepBaseMs: 2 } },
    );
    engineArgs = sim.engines.flatMap((e) => ['--engine', `${e.kind}=${e.url}`]);
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('sends the prompt to every engine at the same moment, prints each answer and saves a valid run', async () => {
    const out = join(tmp, 'saved');
    const io = captureIO(tmp);
    const code = await main(['race', PROMPT, ...engineArgs, '--model', MODEL, '--max-tokens', '48', '--out', out, '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const result = lastJson(io.out());
    expect(result.status).toBe('completed');
    expect(result.runDir).toBe(join(out, result.runId!));

    const raw = await records(result.runDir!);
    expect(raw.map((r) => r.engine).sort()).toEqual(['ollama', 'tgi', 'vllm']);
    // Every send goes out before any engine's answer has begun: the milliseconds between them are
    // asserted in test/timing/race-sends.test.ts, where no other test competes for the CPU.
    const firstAnswer = Math.min(...raw.map((r) => r.sentMs + r.headersMs!));
    for (const r of raw) expect(r.sentMs).toBeLessThanOrEqual(firstAnswer);
    for (const record of raw) {
      expect(record).toMatchObject({ phase: 'race', status: 'ok', seq: 0, warmup: false });
      expect(record.text.length).toBeGreaterThan(0);
      // Non-TTY: each answer is printed whole, under its engine's header and numbers.
      expect(io.out()).toContain(sanitize(record.text));
      expect(io.out()).toContain(`== ${record.engine} SIMULATED ==`);
    }

    const run = await readRun(result.runDir!);
    expect(run.status).toBe('completed');
    expect(run.scenario).toMatchObject({ name: 'race', prompt: PROMPT, model: MODEL, maxTokens: 48, temperature: 0, seed: 42 });
    expect(run.engines.map((e) => e.label)).toEqual(['vllm', 'ollama', 'tgi']);
    for (const engine of run.engines) {
      expect(engine.simulated).toBe(true);
      expect(engine.phases).toHaveLength(1);
      const [phase] = engine.phases;
      expect(phase!.name).toBe('race');
      expect(phase!.load).toEqual({ shape: 'race', engines: 3 });
      expect(phase!.requests).toMatchObject({ total: 1, ok: 1, failed: 0 });
      expect(phase!.ttftMs.count).toBe(1);
    }
    // The files pass the same validation as a collect run's.
    const validate = captureIO(tmp);
    expect(await main(['runs', 'validate', result.runDir!], validate)).toBe(0);
  });

  it('draws the race side by side on a terminal, then leaves the whole frame there', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 150, rows: 30 }) as unknown as NodeJS.WriteStream;
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString('utf8')));
    const io = { ...captureIO(tmp), tty: terminal };
    const code = await main(['race', PROMPT, ...engineArgs, '--model', MODEL, '--max-tokens', '16', '--no-save'], io);
    expect(code).toBe(0);
    for (const label of ['vllm', 'ollama', 'tgi']) expect(drawn).toContain(`${label} SIMULATED`);
    expect(drawn).toContain('TTFT');
    expect(drawn).toContain(' │ ');
    // stdout carries the numbers table, not the answers a second time.
    expect(io.out()).toMatch(/engine\s+status\s+TTFT ms/);
    expect(io.out()).not.toContain('== vllm');
  });

  it('takes engines, model, max tokens and name from --config, its settings over the race defaults', async () => {
    const out = join(tmp, 'from-config');
    const config = join(tmp, 'race.json');
    await writeFile(config, JSON.stringify({ name: 'config race', maxTokens: 24, model: MODEL, engines: sim.engines.map((e) => ({ kind: e.kind, url: e.url })) }));
    const io = captureIO(tmp);
    const code = await main(['race', PROMPT, '--config', config, '--out', out, '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir!);
    expect(run.scenario).toMatchObject({ name: 'config race', maxTokens: 24, model: MODEL });
    expect(run.engines.map((e) => e.kind).sort()).toEqual(['ollama', 'tgi', 'vllm']);
  });

  it('with --no-save shows the race and writes nothing', async () => {
    const out = join(tmp, 'unsaved');
    const io = captureIO(tmp);
    const code = await main(['race', PROMPT, ...engineArgs, '--model', MODEL, '--max-tokens', '16', '--out', out, '--no-save', '--json'], io);
    expect(code).toBe(0);
    expect(lastJson(io.out())).toEqual({ runId: null, runDir: null, status: 'completed' });
    expect(io.out()).toContain('not saved');
    for (const label of ['vllm', 'ollama', 'tgi']) expect(io.out()).toContain(`== ${label} SIMULATED ==`);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('exits 3 and writes nothing when an engine is unreachable', async () => {
    const port = await freePort();
    const out = join(tmp, 'unreachable');
    const io = captureIO(tmp);
    const code = await main(['race', PROMPT, ...engineArgs, '--engine', `openai=http://127.0.0.1:${port}`, '--model', MODEL, '--out', out], io);
    expect(code).toBe(3);
    expect(io.err()).toContain(`openai at http://127.0.0.1:${port}`);
    expect(io.err()).toContain('connection refused');
    await expect(readdir(out)).rejects.toThrow();
  });
});
