// Load shapes through the real CLI against the simulator: sweeps, open-loop caps, bad scenarios.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';

/** A server that answers anything and counts what reached it. */
async function countingServer(): Promise<{ url: string; hits: () => number; close: () => void }> {
  let hits = 0;
  const server = createServer((_q, res) => {
    hits += 1;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: () => void server.close() };
}

const runDirOf = (out: string): string => (JSON.parse(out.trim().split('\n').at(-1)!) as { runDir: string }).runDir;

describe('load shapes through servebench collect', () => {
  let tmp: string;
  let sim: Simulation;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-load-'));
    // A small batch makes saturation visible within a few requests.
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], {
      seed: 3,
      overrides: { maxBatch: 4, decodeStepBaseMs: 4, decodeStepPerSeqMs: 0.5 },
    });
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('shows throughput rising then flattening, TTFT rising, and the engine queue at the top of a concurrency sweep', async () => {
    const e = sim.engines[0]!;
    const io = captureIO(tmp);
    const code = await main(
      ['collect', '--engine', `vllm=${e.url}`, '--model', e.model, '--concurrency', '1,2,4,8,16', '--requests', '32', '--max-tokens', '24', '--scrape-interval', '0.05', '--out', tmp, '--json', '--quiet'],
      io,
    );
    expect(io.err()).not.toContain('internal error');
    expect(code).toBe(0);
    const run = await readRun(runDirOf(io.out()));
    const phases = run.engines[0]!.phases;
    expect(phases.map((p) => p.name)).toEqual(['c1', 'c2', 'c4', 'c8', 'c16']);
    const tput = phases.map((p) => p.outputTokensPerS);
    // Rises while the batch fills (1 → 4 users)...
    expect(tput[1]!).toBeGreaterThan(tput[0]! * 1.4);
    expect(tput[2]!).toBeGreaterThan(tput[1]! * 1.2);
    // ...then flattens past the batch limit of 4.
    expect(Math.abs(tput[4]! - tput[3]!) / tput[3]!).toBeLessThan(0.25);
    const ttft = phases.map((p) => p.ttftMs.p50!);
    expect(ttft[4]!).toBeGreaterThan(ttft[2]! * 2);
    // The engine's own view: requests wait in its queue at the top of the sweep, not at the bottom.
    const top = phases[4]!.server!;
    const waiting = top.series.find((s) => s.name === 'waiting')!;
    expect(Math.max(...waiting.points.map(([, v]) => v))).toBeGreaterThanOrEqual(4);
    expect(top.scrapes).toBeGreaterThan(3);
    const bottom = phases[0]!.server!.series.find((s) => s.name === 'waiting')!;
    // One user: at most its own request, waiting for the next engine step to admit it.
    expect(Math.max(...bottom.points.map(([, v]) => v))).toBeLessThanOrEqual(1);
    expect(phases[4]!.client!.rssMaxBytes).toBeGreaterThan(0);
  });

  it('counts dropped sends and warns when the arrival rate outpaces the in-flight cap', async () => {
    const e = sim.engines[0]!;
    const io = captureIO(tmp);
    const code = await main(
      ['collect', '--engine', `vllm=${e.url}`, '--model', e.model, '--rate', '40', '--arrival', 'constant', '--max-in-flight', '2', '--duration', '2', '--max-tokens', '32', '--out', tmp, '--json', '--quiet'],
      io,
    );
    expect(code).toBe(0);
    const run = await readRun(runDirOf(io.out()));
    const phase = run.engines[0]!.phases[0]!;
    expect(phase.load).toMatchObject({ shape: 'constant-rate', rate: 40, maxInFlight: 2 });
    expect(phase.requests.dropped).toBeGreaterThan(10);
    expect(run.warnings.join('\n')).toMatch(/could not keep up with the arrival schedule: \d+ arrivals were dropped because 2 requests/);
    expect(io.out()).toContain('warning:');
  });

  it('prints the plan with --dry-run and sends nothing', async () => {
    const server = await countingServer();
    const io = captureIO(tmp);
    expect(await main(['collect', '--engine', `vllm=${server.url}`, '--model', 'm', '--rate', '2,4', '--duration', '10', '--dry-run'], io)).toBe(0);
    server.close();
    expect(server.hits()).toBe(0);
    expect(io.out()).toContain('dry run');
    expect(io.out()).toMatch(/r2\s/);
    expect(io.out()).toMatch(/r4\s/);
  });

  const badScenarios: [string, string, RegExp][] = [
    ['unknown key', 'name: x\nmodel: m\nsweep: { concurency: [1, 2] }\n', /sweep/],
    ['wrong type', 'name: x\nmodel: m\nphases:\n  - name: p\n    load: { shape: closed-loop, concurrency: many }\n    requests: 5\n', /phases\[0\]\.load\.concurrency/],
    ['negative rate', 'name: x\nmodel: m\nphases:\n  - name: p\n    load: { shape: poisson, rate: -3 }\n    durationS: 5\n', /phases\[0\]\.load\.rate/],
    ['empty prompt file', 'name: x\nmodel: m\nprompts: empty.txt\n', /empty\.txt holds no prompt/],
  ];
  for (const [what, yaml, path] of badScenarios) {
    it(`rejects a scenario file with ${what} with exit 2, naming the file and the path, before any request`, async () => {
      const server = await countingServer();
      const url = server.url;
      const file = join(tmp, `${what.replace(/ /g, '-')}.yaml`);
      await writeFile(join(tmp, 'empty.txt'), '\n\n');
      await writeFile(file, `${yaml}engines:\n  - kind: vllm\n    url: ${url}\n`);
      const io = captureIO(tmp);
      expect(await main(['collect', '--config', file, '--out', tmp], io)).toBe(2);
      server.close();
      expect(server.hits()).toBe(0);
      expect(io.err()).toMatch(path);
      if (what !== 'empty prompt file') expect(io.err()).toContain(file);
    });
  }
});
