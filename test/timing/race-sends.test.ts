// `servebench race` sends the prompt to every engine at the same moment: within 5 ms of each other.
// A millisecond bound, so it lives with the timing tests, which run alone after everything else.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';

describe('race sends', () => {
  let tmp: string;
  let sim: Simulation;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-race-timing-'));
    sim = await startSimulation(
      [
        { kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' },
        { kind: 'ollama', port: 0, profile: 'ollama', label: 'ollama' },
        { kind: 'tgi', port: 0, profile: 'tgi', label: 'tgi' },
      ],
      { seed: 1, model: 'race-model', overrides: { decodeStepBaseMs: 2 } },
    );
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('go to every engine within 5 ms of each other', async () => {
    const io = captureIO(tmp);
    const engines = sim.engines.flatMap((e) => ['--engine', `${e.kind}=${e.url}`]);
    expect(await main(['race', 'Why is the sky blue?', ...engines, '--model', 'race-model', '--max-tokens', '8', '--out', tmp, '--json'], io)).toBe(0);
    const { runDir } = JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string };
    const sent: number[] = [];
    for await (const r of readRequests(runDir)) sent.push(r.sentMs);
    expect(sent).toHaveLength(3);
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(5);
  });
});
