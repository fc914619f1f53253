import { describe, expect, it } from 'vitest';
import { capacityAtSlo, sweepOf } from '../../../../collector/metrics/slo/capacity.ts';
import { overallVerdict } from '../../../../collector/metrics/slo/evaluate.ts';
import type { PhaseSummary, SloVerdict, Verdict } from '../../../../collector/store/schema/index.ts';

type Judged = [objective: string, verdict: Verdict, margin: number | null];

/** A phase at `concurrency` users (or `rate` req/s) with these verdicts: capacity reads only the load and the verdicts. */
function phase(load: PhaseSummary['load'], judged: Judged[]): PhaseSummary {
  const verdicts: SloVerdict[] = judged.map(([objective, verdict, margin]) => ({ objective, verdict, margin, measured: 1, ci: { lo: 1, hi: 1 } }));
  return { name: JSON.stringify(load), load, slo: { verdicts, verdict: overallVerdict(verdicts.map((v) => v.verdict)), goodput: null } } as unknown as PhaseSummary;
}
const users = (concurrency: number, ...judged: Judged[]) => phase({ shape: 'closed-loop', concurrency }, judged);
const rate = (r: number, ...judged: Judged[]) => phase({ shape: 'poisson', rate: r }, judged);

describe('capacityAtSlo', () => {
  it('interpolates between the last level met and the first missed, on the binding objective\'s margin', () => {
    const phases = [
      users(1, ['ttft:p95<100ms', 'met', 0.8], ['e2e:p95<1s', 'met', 0.9]),
      users(4, ['ttft:p95<100ms', 'met', 0.5], ['e2e:p95<1s', 'met', 0.6]),
      // TTFT runs out of room a third of the way to 8 users (0.5 → -1.0), E2E half way (0.6 → -0.6).
      users(8, ['ttft:p95<100ms', 'missed', -1.0], ['e2e:p95<1s', 'missed', -0.6]),
      users(16, ['ttft:p95<100ms', 'missed', -3], ['e2e:p95<1s', 'missed', -2]),
    ];
    expect(capacityAtSlo(phases)).toEqual({ value: 5.333, unit: 'concurrency', how: 'interpolated', between: [4, 8] });
  });

  it('takes the phases in load order, whatever order they ran in', () => {
    const phases = [rate(8, ['ttft:p95<100ms', 'missed', -0.25]), rate(2, ['ttft:p95<100ms', 'met', 0.75])];
    expect(capacityAtSlo(phases)).toEqual({ value: 6.5, unit: 'rate', how: 'interpolated', between: [2, 8] });
  });

  it('gives the level met, marked measured, when the missed objective has no margin to interpolate on', () => {
    const phases = [users(2, ['error_rate<=0%', 'met', null]), users(4, ['error_rate<=0%', 'missed', null])];
    expect(capacityAtSlo(phases)).toEqual({ value: 2, unit: 'concurrency', how: 'measured', between: [2, 4] });
  });

  it('says below the lowest level when it already missed, and above the highest when every level met', () => {
    expect(capacityAtSlo([users(1, ['x', 'missed', -0.1]), users(2, ['x', 'missed', -0.5])])).toEqual({ value: null, unit: 'concurrency', how: 'below lowest level', between: null });
    expect(capacityAtSlo([users(1, ['x', 'met', 0.9]), users(2, ['x', 'met', 0.5])])).toEqual({ value: 2, unit: 'concurrency', how: 'above highest level', between: null });
  });

  it('says inconclusive when the verdict at the boundary is, without interpolating past it', () => {
    expect(capacityAtSlo([users(1, ['x', 'met', 0.9]), users(2, ['x', 'inconclusive', 0.1]), users(4, ['x', 'missed', -1])])).toEqual({
      value: 1, unit: 'concurrency', how: 'inconclusive', between: [1, 2],
    });
    expect(capacityAtSlo([users(1, ['x', 'no data', null]), users(2, ['x', 'met', 0.5])])).toEqual({ value: null, unit: 'concurrency', how: 'inconclusive', between: null });
  });

  it('is absent when the phases are not a sweep: one level, the same level twice, or other shapes', () => {
    expect(capacityAtSlo([users(4, ['x', 'met', 0.5])])).toBeUndefined();
    expect(capacityAtSlo([users(4, ['x', 'met', 0.5]), users(4, ['x', 'missed', -0.5])])).toBeUndefined();
    expect(capacityAtSlo([phase({ shape: 'sequential' }, [['x', 'met', 0.5]]), users(4, ['x', 'met', 0.5])])).toBeUndefined();
    const unjudged = { ...users(8, ['x', 'met', 0.5]), slo: undefined } as PhaseSummary;
    expect(capacityAtSlo([users(4, ['x', 'met', 0.5]), unjudged])).toBeUndefined();
  });

  it('reads an auto sweep by its rates, not its one saturated closed-loop phase', () => {
    const phases = [phase({ shape: 'sequential' }, [['x', 'met', 0.9]]), users(64, ['x', 'missed', -2]), rate(1, ['x', 'met', 0.5]), rate(2, ['x', 'met', 0.2]), rate(3, ['x', 'missed', -0.2])];
    expect(sweepOf(phases)!.unit).toBe('rate');
    expect(capacityAtSlo(phases)).toEqual({ value: 2.5, unit: 'rate', how: 'interpolated', between: [2, 3] });
  });
});
