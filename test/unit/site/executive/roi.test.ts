// ROI figures recomputed by hand from the slo-sweep sample run and its stated assumptions.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { Run } from '../../../../collector/store/schema/index.ts';
import { costPhase, forEngine, roiOf, waitSavings } from '../../../../site/lib/executive/roi.ts';
import { money } from '../../../../site/lib/format.ts';

const SWEEP = fileURLToPath(new URL('../../../fixtures/runs/slo-sweep/', import.meta.url));
let run: Run;

beforeAll(async () => {
  run = await readRun(SWEEP);
});

describe('cost per 1M output tokens', () => {
  it('divides the stated GPU cost by the output per hour at the level that met every objective with the most output', () => {
    const roi = roiOf(run)!;
    const assumptions = run.scenario.roi!;
    for (const engine of run.engines) {
      const cost = roi.costs.find((c) => c.engine === engine.label)!;
      const met = engine.phases.filter((p) => p.slo!.verdict === 'met');
      const best = met.reduce((a, b) => (b.outputTokensPerS > a.outputTokensPerS ? b : a));
      expect(cost.phase).toBe(best.name);
      const hourly = forEngine(assumptions.gpuHourlyCost, engine.label)!;
      const gpus = forEngine(assumptions.gpuCount, engine.label) ?? 1;
      expect(cost.costPerMillion).toBeCloseTo((hourly * gpus * 1e6) / (best.outputTokensPerS * 3600), 10);
      expect(cost.gpuHoursPerMonth).toBeCloseTo((assumptions.monthlyOutputTokens! / (best.outputTokensPerS * 3600)) * gpus, 10);
      expect(cost.costPerMonth).toBeCloseTo(cost.gpuHoursPerMonth! * hourly, 10);
    }
    const cheapest = roi.costs.reduce((a, b) => (b.costPerMillion! < a.costPerMillion! ? b : a));
    expect(roi.cheapest).toBe(cheapest.engine);
  });

  it('says which assumption is missing for an engine instead of inventing one', () => {
    const partial = structuredClone(run);
    partial.scenario.roi = { gpuHourlyCost: { 'vllm-sim': 2 } };
    const roi = roiOf(partial)!;
    expect(roi.costs.find((c) => c.engine === 'tgi-sim')).toMatchObject({ costPerMillion: null, missing: 'no gpuHourlyCost for tgi-sim' });
    expect(roi.cheapest).toBeNull();
    expect(roi.toSet).toEqual(expect.arrayContaining([expect.stringContaining('monthlyOutputTokens'), expect.stringContaining('personHourCost')]));
    expect(roi.assumptions.find((a) => a.label === 'Work days per year')).toEqual({ label: 'Work days per year', value: '250', origin: 'default' });
  });

  it('falls back to the highest output, and says so, when no level met every objective', () => {
    const engine = structuredClone(run.engines[1]!);
    for (const phase of engine.phases) phase.slo!.verdict = 'missed';
    const { phase, basis } = costPhase(engine, true);
    expect(phase!.outputTokensPerS).toBe(Math.max(...engine.phases.map((p) => p.outputTokensPerS)));
    expect(basis).toBe('its highest measured output: no load level met every objective');
  });

  it('is null without assumptions', () => {
    const bare = structuredClone(run);
    delete bare.scenario.roi;
    expect(roiOf(bare)).toBeNull();
  });
});

describe('wait saved', () => {
  it('turns a difference into hours and money only when the E2E medians\u2019 intervals are apart', () => {
    const assumptions = run.scenario.roi!;
    const waits = waitSavings(run, assumptions);
    expect(waits.length).toBe(4);
    for (const w of waits) {
      const fast = run.engines.find((e) => e.label === w.faster)!.phases.find((p) => p.name === w.phase)!.e2eMs;
      const slow = run.engines.find((e) => e.label === w.slower)!.phases.find((p) => p.name === w.phase)!.e2eMs;
      expect(fast.p50!).toBeLessThanOrEqual(slow.p50!);
      const apart = fast.ci95!.p50.hi! < slow.ci95!.p50.lo!;
      expect(w.status).toBe(apart ? 'saved' : 'noise');
      if (apart) {
        const hours = ((slow.p50! - fast.p50!) / 3_600_000) * assumptions.usersPerDay! * assumptions.interactionsPerUserPerDay! * 250;
        expect(w.hoursPerYear).toBeCloseTo(hours, 9);
        expect(w.moneyPerYear).toBeCloseTo(hours * assumptions.personHourCost!, 9);
      } else {
        expect([w.savedMs, w.hoursPerYear, w.moneyPerYear]).toEqual([null, null, null]);
      }
    }
  });

  it('claims nothing from a run without intervals (written before format v4)', () => {
    const old = structuredClone(run);
    for (const e of old.engines) for (const p of e.phases) delete p.e2eMs.ci95;
    expect(waitSavings(old, old.scenario.roi!).every((w) => w.status === 'no interval' && w.moneyPerYear === null)).toBe(true);
  });
});

describe('money', () => {
  it('writes ISO currencies as en-US does, keeps cents below 1,000 and anything else as a prefix', () => {
    expect(money(0.78412, 'USD')).toBe('$0.78');
    expect(money(12345.6, 'USD')).toBe('$12,346');
    expect(money(3.5, 'EUR')).toBe('€3.50');
    expect(money(3.5, 'credits')).toBe('credits 3.50');
    expect(money(null)).toBe('—');
  });
});
