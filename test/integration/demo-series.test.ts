// The committed sample run (written by an older servebench, run format v2, read through the
// upgrade chain) and a run of the shipped demo scenario as `servebench demo` resolves it today,
// against the simulator's engines, measure the same: the site must put them in one trend series
// per engine and list the scenario once. The fresh run document is built as collect starts it,
// from the engines' own answers on real sockets; no load is sent.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEngines, openEngines } from '../../collector/collect/preflight.ts';
import { startRunDocument } from '../../collector/collect/run-document.ts';
import { SCENARIOS_DIR } from '../../collector/commands/scenario.ts';
import { readConfigFile, resolveCollectPlan } from '../../collector/config/load.ts';
import type { ConfigFile } from '../../collector/config/schema.ts';
import { PROFILES } from '../../collector/sim/model/profiles.ts';
import { parseSimSpecs } from '../../collector/sim/spec.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRun } from '../../collector/store/read-run.ts';
import type { Run } from '../../collector/store/schema/index.ts';
import { digestOf } from '../../site/lib/load-runs.ts';
import { facets } from '../../site/lib/runs.ts';
import { trendSeries } from '../../site/lib/trends.ts';

const SAMPLE_DIR = fileURLToPath(new URL('../../runs/20261123-203201-demo-2238/', import.meta.url));

describe('the committed sample run and a fresh demo run', () => {
  let sim: Simulation;
  let sample: Run;
  let fresh: Run;

  beforeAll(async () => {
    sample = await readRun(SAMPLE_DIR);
    // As `servebench demo` starts it: vllm, tgi and ollama, seed 42, labelled <kind>-sim.
    const { specs, problems } = parseSimSpecs(['vllm:0', 'tgi:0', 'ollama:0'], Object.keys(PROFILES));
    expect(problems).toEqual([]);
    sim = await startSimulation(specs, { seed: 42 });
    const config: ConfigFile = {
      ...(await readConfigFile(`${SCENARIOS_DIR}demo.yaml`)),
      engines: sim.engines.map((e) => ({ kind: e.kind, url: e.url, label: `${e.kind}-sim`, model: e.model })),
    };
    const plan = await resolveCollectPlan(config, process.cwd(), { out: 'runs' }, {}, process.cwd());
    const sessions = await openEngines(plan.engines, plan.timeouts.connectMs);
    try {
      fresh = startRunDocument({ id: 'fresh-demo', name: plan.name, startedAt: new Date('2026-12-01T00:00:00Z'), clockOriginEpochMs: 1, scenario: plan.scenario, slo: plan.slo, sessions, redact: (t) => t });
    } finally {
      await closeEngines(sessions);
    }
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('differ in how their scenarios are written, which is what the canonical hash must absorb', async () => {
    const stored = JSON.parse(await readFile(join(SAMPLE_DIR, 'run.json'), 'utf8')) as { schemaVersion: number; scenarioHash: string; scenario: Record<string, unknown> };
    expect(stored.schemaVersion).toBeLessThan(4);
    expect(stored.scenario['workload']).toBeUndefined();
    expect(stored.scenario['slo']).toBeDefined();
    expect(fresh.scenario['workload']).toEqual({});
    expect(fresh.scenario['roi']).toBeDefined();
    // run.json keeps the hash it was written with; the reader derives the canonical one.
    expect(stored.scenarioHash).not.toBe(sample.scenarioHash);
  });

  it('share the scenario hash and fall into one trend series per engine', () => {
    expect(fresh.scenarioHash).toBe(sample.scenarioHash);
    const series = trendSeries([digestOf(sample), digestOf(fresh)]);
    expect(series.map((s) => [s.kind, s.points.map((p) => p.runId)])).toEqual([
      ['ollama', [sample.id, 'fresh-demo']],
      ['tgi', [sample.id, 'fresh-demo']],
      ['vllm', [sample.id, 'fresh-demo']],
    ]);
  });

  it('are listed under one scenario in the index', () => {
    const scenarios = facets([digestOf(sample), digestOf(fresh)]).scenarios;
    expect(scenarios.map((s) => s.runIds)).toEqual([[sample.id, 'fresh-demo']]);
  });
});
