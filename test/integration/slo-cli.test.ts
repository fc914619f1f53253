// --slo and --fail-on-slo end to end: `servebench collect` as its own process against the built-in
// simulator, judged against an objective it meets (exit 0) and one it misses (exit 7).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';
import { runChild } from '../support/run-child.ts';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));
// Decode steps of a few ms: 16 tokens take tens of ms, far over 1 ms and far under 30 s.
const FAST = { decodeStepBaseMs: 2, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };

describe('servebench collect --slo --fail-on-slo', () => {
  let tmp: string;
  let sim: Simulation;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-slo-'));
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 3, overrides: FAST });
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const collect = async (name: string, slo: string[]) => {
    const engine = sim.engines[0]!;
    const out = join(tmp, name);
    const args = ['collect', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', '20', '--concurrency', '2', '--max-tokens', '16', '--out', out, '--quiet'];
    const result = await runChild(process.execPath, [CLI, ...args, ...slo.flatMap((s) => ['--slo', s]), '--fail-on-slo']);
    const [id] = await readdir(out);
    return { ...result, run: await readRun(join(out, id!)) };
  };

  it('exits 0 when every objective is met, printing each verdict and the goodput', async () => {
    const { code, out, err, run } = await collect('meets', ['e2e:p50<30s', 'error_rate<50%']);
    expect(err).not.toContain('internal error');
    expect(code).toBe(0);
    expect(out).toContain('service-level objectives (command line): e2e:p50<30s  error_rate<50%');
    expect(out).toMatch(/^\s+vllm SIMULATED\s+main\s+e2e:p50<30s\s+[\d.]+ ms\s+[\d.]+ \.\. [\d.]+\s+\+\d+\.\d%\s+met$/m);
    expect(out).toMatch(/^\s+error_rate<50%\s+0\.0%\s+0\.0% \.\. 16\.1%\s+\+100\.0%\s+met$/m);
    expect(out).toMatch(/^\s+vllm SIMULATED\s+main\s+met\s+[\d.]+\s+20\/20 \(100\.0%\)$/m);
    const phase = run.engines[0]!.phases[0]!;
    expect(run.slo).toEqual({ source: 'command line', objectives: [expect.objectContaining({ text: 'e2e:p50<30s' }), expect.objectContaining({ text: 'error_rate<50%' })] });
    expect(phase.slo).toMatchObject({ verdict: 'met', goodput: { requests: 20, fraction: 1 } });
    expect(phase.e2eMs.ci95!.p50.hi!).toBeLessThan(30_000);
  });

  it('exits 7 when an objective is missed, naming it, after saving the run with its verdicts', async () => {
    const { code, out, err, run } = await collect('misses', ['e2e:p50<1ms', 'error_rate<50%']);
    expect(code).toBe(7);
    expect(out).toMatch(/^\s+vllm SIMULATED\s+main\s+e2e:p50<1ms\s+[\d.]+ ms\s+[\d.]+ \.\. [\d.]+\s+-\d+\.\d%\s+MISSED$/m);
    expect(out).toMatch(/^\s+vllm SIMULATED\s+main\s+MISSED\s+0\.00\s+0\/20 \(0\.0%\)$/m);
    expect(err).toContain('servebench: 1 objective was missed: vllm/main e2e:p50<1ms; the run is saved in');
    expect(err).toContain('(SLO_MISSED, exit 7)');
    expect(run.status).toBe('completed');
    expect(run.engines[0]!.phases[0]!.slo!.verdicts.map((v) => [v.objective, v.verdict])).toEqual([
      ['e2e:p50<1ms', 'missed'],
      ['error_rate<50%', 'met'],
    ]);
  });

  it('says "no SLO set" when none is given, and refuses a malformed objective before sending anything', async () => {
    const engine = sim.engines[0]!;
    const base = ['collect', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', '2', '--quiet', '--out', join(tmp, 'none')];
    const io = captureIO(tmp);
    expect(await main(base, io)).toBe(0);
    expect(io.out()).toContain('service-level objectives: no SLO set');
    const bad = captureIO(tmp);
    expect(await main([...base, '--out', join(tmp, 'bad'), '--slo', 'ttft<200ms'], bad)).toBe(2);
    expect(bad.err()).toContain('--slo "ttft<200ms" is not an objective: ttft needs a statistic (p50, p90, p95, p99, mean), e.g. ttft:p95<200ms. Valid forms:');
    await expect(readdir(join(tmp, 'bad'))).rejects.toThrow();
  });
});
