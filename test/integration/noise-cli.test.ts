// `servebench noise` end to end, in process, against the built-in simulator: k ordinary runs of one
// scenario hash, then the spread table and the τ recommended from those very runs.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { readSamples } from '../../collector/compare/phase-samples.ts';
import { recommend } from '../../collector/noise/recommend.ts';
import { spreadRows } from '../../collector/noise/spread.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';

// Decode steps of a few ms: 16 tokens take tens of ms, so three runs of 24 requests take seconds.
const FAST = { decodeStepBaseMs: 2, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };

describe('servebench noise', () => {
  let tmp: string;
  let sim: Simulation;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-noise-'));
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 5, overrides: FAST });
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const args = (out: string, repeat: string) => {
    const engine = sim.engines[0]!;
    return ['noise', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', '24', '--concurrency', '2', '--max-tokens', '16', '--name', 'aa', '--out', out, '--quiet', '--repeat', repeat];
  };

  it('--repeat 3 writes 3 runs sharing one scenario hash and prints their spread and the τ they call for', async () => {
    const out = join(tmp, 'three');
    const io = captureIO(tmp);
    const code = await main(args(out, '3'), io);
    expect(io.err()).not.toContain('internal error');
    expect(code).toBe(0);

    const ids = (await readdir(out)).sort();
    expect(ids).toHaveLength(3);
    const runs = await Promise.all(ids.map((id) => readRun(join(out, id))));
    expect(new Set(runs.map((r) => r.scenarioHash)).size).toBe(1);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);

    const text = io.out();
    expect(text).toContain('SIMULATED: vllm is the built-in simulator');
    expect(text).toContain(`servebench noise: 3 runs of "aa" back to back (A/A), scenario hash ${runs[0]!.scenarioHash}: one series on the site`);
    for (const id of ids) expect(text).toContain(`  ${id}  completed`);
    expect(text).toContain('3 runs give a rough spread only');
    expect(text).toContain('WEAK: fewer than 5 runs');
    expect(text).toMatch(/^ENGINE\s+PHASE\s+METRIC\s+MEDIAN\s+MIN\s+MAX\s+MAX DEV\s+CV\s+NOTE$/m);
    for (const metric of ['TTFT p50', 'ITL p90', 'TPOT p99', 'E2E p50', 'output tok/s per request mean']) {
      expect(text).toMatch(new RegExp(`^vllm\\s+main\\s+${metric}\\s+[\\d.]+ (ms|tok/s)\\s+.*\\s[\\d.]+ %\\s+[\\d.]+ %`, 'm'));
    }
    // 24 requests less warm-up cannot bound a p99 (299 needed): shown, not used for τ.
    expect(text).toMatch(/^vllm\s+main\s+TTFT p99\s.*too few values per run \(\d+ < 299\): not used for τ$/m);

    // The recommendation is the one the written runs call for.
    const rows = spreadRows(await Promise.all(ids.map((id) => readSamples(join(out, id), null))));
    const expected = recommend(rows, 3);
    expect(text).toMatch(/^METRIC\s+LARGEST MAX DEV\s+WHERE\s+τ$/m);
    for (const m of expected.perMetric) {
      const tau = m.tau === null ? 'none: over 20 %' : `${Math.round(m.tau * 1000) / 10} %`;
      expect(text).toMatch(new RegExp(`^${m.label}\\s+${(m.worst!.spread * 100).toFixed(1)} %\\s+vllm main ${m.worst!.stat}\\s+${tau}$`, 'm'));
    }
    if (expected.overall !== null) expect(text).toContain(`servebench diff BASE HEAD --threshold ${Math.round(expected.overall * 1000) / 10}%`);
    else expect(text).toContain('no τ up to 20 % covers');
    expect(text).toContain('per-metric thresholds in a config file are not there yet');
  }, 40_000);

  it('--json prints only the result as JSON, progress on stderr', async () => {
    const out = join(tmp, 'json');
    const io = captureIO(tmp);
    expect(await main([...args(out, '2'), '--json'], io)).toBe(0);
    const ids = (await readdir(out)).sort();
    const result = JSON.parse(io.out());
    expect(result).toMatchObject({ format: 'servebench-noise', formatVersion: 1, name: 'aa', simulatedEngines: ['vllm'], perMetricConfig: false });
    expect(result.runs.map((r: { id: string }) => r.id).sort()).toEqual(ids);
    expect(result.rows).toHaveLength(13);
    expect(result.recommendation).toMatchObject({ runs: 2, weak: true });
    expect(result.recommendation.perMetric.map((m: { metric: string }) => m.metric)).toEqual(['ttft', 'itl', 'tpot', 'e2e', 'output_tokens_per_s']);
    // Run ids of one second sort by their random tail, not by start: the JSON keeps run order.
    result.runs.forEach((r: { id: string }, i: number) => expect(io.err()).toContain(`run ${i + 1}/2: ${r.id} completed`));
  }, 30_000);

  it('refuses --repeat 1 before sending anything', async () => {
    const out = join(tmp, 'one');
    const io = captureIO(tmp);
    expect(await main(args(out, '1'), io)).toBe(2);
    expect(io.err()).toContain('--repeat "1" is not a number of runs from 2 to 100.');
    await expect(readdir(out)).rejects.toThrow();
  });
});
