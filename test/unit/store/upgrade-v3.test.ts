// Run format v3 → v4 on a real v3 file: test/fixtures/runs/v3-golden is the golden run exactly as
// the v3 store wrote it. Its scenario set no SLO, so it upgrades to "no SLO set" and otherwise
// reads as the v4 golden run of the same requests, less what v4 computes at collection time.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import { Run, type RequestRecord } from '../../../collector/store/schema/index.ts';
import * as v3 from '../../../collector/store/schema/v3.ts';
import { upgradeV3, V3_SLO_SOURCE } from '../../../collector/store/upgrade-v3.ts';

const V3 = fileURLToPath(new URL('../../fixtures/runs/v3-golden/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

async function records(dir: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(dir)) out.push(record);
  return out;
}

/** A v4 run without what only a v4 collector computes: objectives, verdicts, intervals. */
function withoutV4Results(run: Run): unknown {
  const strip = (d: Record<string, unknown>): Record<string, unknown> => {
    const { ci95: _ci, ...rest } = d;
    return rest;
  };
  return {
    ...run,
    slo: null,
    engines: run.engines.map(({ capacityAtSlo: _c, ...engine }) => ({
      ...engine,
      phases: engine.phases.map(({ slo: _s, ...phase }) => ({
        ...phase,
        ttftMs: strip(phase.ttftMs),
        tpotMs: strip(phase.tpotMs),
        itlMs: strip(phase.itlMs),
        e2eMs: strip(phase.e2eMs),
        requestOutputTokensPerS: strip(phase.requestOutputTokensPerS),
        ...(phase.sendLagMs ? { sendLagMs: strip(phase.sendLagMs) } : {}),
      })),
    })),
  };
}

describe('reading a v3 run', () => {
  it('upgrades the v3 golden run to v4 with no SLO set and its numbers unchanged', async () => {
    const run = await readRun(V3);
    expect(run.schemaVersion).toBe(4);
    expect(run.slo).toBeNull();
    expect(run.engines.every((e) => e.capacityAtSlo === undefined && e.phases.every((p) => p.slo === undefined))).toBe(true);
    expect(withoutV4Results(run)).toEqual(withoutV4Results(await readRun(GOLDEN)));
    expect(await records(V3)).toEqual(await records(GOLDEN));
  });

  it('a v4 run is a new version that a v3 reader rejects', async () => {
    const golden = await readRun(GOLDEN);
    expect(v3.RunV3.safeParse(golden).success).toBe(false);
    expect(Run.safeParse(golden).success).toBe(true);
  });
});

describe('upgradeV3', () => {
  const scenarioWith = (slo: unknown) => ({ schemaVersion: 3, scenario: { seed: 1, slo } });

  it('drops the silent default v3 applied to every run: no SLO set', () => {
    expect(upgradeV3(scenarioWith({ ttftP95Ms: 100, e2eP95Ms: 1000 }))['slo']).toBeNull();
    expect(upgradeV3({ schemaVersion: 3, scenario: { seed: 1 } })['slo']).toBeNull();
    expect(upgradeV3({ schemaVersion: 3 })['slo']).toBeNull();
  });

  it('turns an SLO the v3 scenario set into v4 objectives, met at equality as v3 counted them', () => {
    expect(upgradeV3(scenarioWith({ ttftP95Ms: 250, e2eP95Ms: 1000 }))['slo']).toEqual({
      source: V3_SLO_SOURCE,
      objectives: [
        { text: 'ttft:p95<=250ms', metric: 'ttft', stat: 'p95', op: '<=', value: 250, perRequest: true },
        { text: 'e2e:p95<=1s', metric: 'e2e', stat: 'p95', op: '<=', value: 1000, perRequest: true },
      ],
    });
    expect(upgradeV3(scenarioWith({ e2eP95Ms: 2500 }))['slo']).toEqual({
      source: V3_SLO_SOURCE,
      objectives: [{ text: 'e2e:p95<=2500ms', metric: 'e2e', stat: 'p95', op: '<=', value: 2500, perRequest: true }],
    });
  });

  it('leaves the scenario as recorded and does not mutate the document', () => {
    const doc = scenarioWith({ ttftP95Ms: 300 });
    const upgraded = upgradeV3(doc);
    expect(upgraded['scenario']).toEqual({ seed: 1, slo: { ttftP95Ms: 300 } });
    expect(doc).toEqual({ schemaVersion: 3, scenario: { seed: 1, slo: { ttftP95Ms: 300 } } });
  });

  it('ignores values that are not positive numbers, leaving no SLO when none is left', () => {
    expect(upgradeV3(scenarioWith({ ttftP95Ms: 'fast', e2eP95Ms: -1 }))['slo']).toBeNull();
    expect(upgradeV3(scenarioWith('fast'))['slo']).toBeNull();
  });
});
