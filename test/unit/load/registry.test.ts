// The registry: shapes by name, plan checks, the one-line description and the --dry-run figures.
import { describe, expect, it } from 'vitest';
import { describePhase, expectedDurationS, expectedRequests, phaseProblems, runPhase, SHAPES } from '../../../collector/load/registry.ts';
import type { PhasePlan } from '../../../collector/load/types.ts';
import { fakeLoad } from './fake-driver.ts';

const plan = (load: PhasePlan['load'], bounds: PhasePlan['bounds'], warmup?: PhasePlan['warmup']): PhasePlan => ({
  name: 'p',
  load,
  bounds,
  ...(warmup ? { warmup } : {}),
});

describe('registry', () => {
  it('knows every shape by the name users type', () => {
    expect(Object.keys(SHAPES).sort()).toEqual(['closed-loop', 'constant-rate', 'poisson', 'ramp', 'sequential']);
  });

  it('describes a phase in one line', () => {
    expect(describePhase(plan({ shape: 'poisson', rate: 20, maxInFlight: 64 }, { durationS: 15 }))).toBe('poisson 20 req/s, up to 64 in flight, 15 s');
    expect(describePhase(plan({ shape: 'constant-rate', rate: 2.5 }, { requests: 100, durationS: 60 }, { requests: 5, seconds: 2 }))).toBe(
      'constant 2.5 req/s, up to 512 in flight, 100 requests or 60 s, whichever first, warm-up first 5 requests and first 2 s',
    );
    expect(describePhase(plan({ shape: 'closed-loop', concurrency: 8, thinkTimeMs: 500, rampUpS: 10 }, { durationS: 60 }))).toBe(
      'closed loop 8 users, 500 ms think time, started over 10 s, 60 s',
    );
    expect(describePhase(plan({ shape: 'closed-loop', concurrency: 1 }, { requests: 1 }))).toBe('closed loop 1 user, 1 request');
    expect(describePhase(plan({ shape: 'sequential' }, { requests: 50 }))).toBe('sequential, 1 in flight, 50 requests');
    expect(describePhase(plan({ shape: 'ramp', of: 'rate', from: 1, to: 50 }, { durationS: 60 }))).toBe('ramp 1 → 50 req/s, up to 512 in flight, 60 s');
    expect(describePhase(plan({ shape: 'ramp', of: 'users', from: 1, to: 32 }, { durationS: 60 }))).toBe('ramp 1 → 32 users, 60 s');
  });

  it('expects requests and seconds where the plan decides them, null where the server does', () => {
    const cases: [PhasePlan, number | null, number | null][] = [
      [plan({ shape: 'poisson', rate: 20 }, { durationS: 15 }), 300, 15],
      [plan({ shape: 'poisson', rate: 20 }, { requests: 100 }), 100, 5],
      [plan({ shape: 'constant-rate', rate: 2.5 }, { requests: 100, durationS: 60 }), 100, 39.6],
      [plan({ shape: 'constant-rate', rate: 2.5 }, { requests: 1000, durationS: 60 }), 150, 60],
      [plan({ shape: 'constant-rate', rate: 0.1 }, { durationS: 30 }), 3, 30],
      [plan({ shape: 'closed-loop', concurrency: 8 }, { durationS: 60 }), null, 60],
      [plan({ shape: 'closed-loop', concurrency: 8 }, { requests: 500 }), 500, null],
      [plan({ shape: 'closed-loop', concurrency: 8 }, { requests: 500, durationS: 60 }), null, null],
      [plan({ shape: 'sequential' }, { requests: 50 }), 50, null],
      [plan({ shape: 'ramp', of: 'users', from: 1, to: 8 }, { durationS: 60 }), null, 60],
      [plan({ shape: 'ramp', of: 'rate', from: 0, to: 20 }, { durationS: 10, requests: 26 }), 26, 5],
    ];
    for (const [p, requests, seconds] of cases) {
      expect([describePhase(p), expectedRequests(p), expectedDurationS(p)]).toEqual([describePhase(p), requests, seconds]);
    }
  });

  it('expects exactly the requests the deterministic shapes send', async () => {
    const plans = [
      plan({ shape: 'constant-rate', rate: 7 }, { durationS: 3.3 }),
      plan({ shape: 'constant-rate', rate: 0.3 }, { durationS: 10 }),
      plan({ shape: 'ramp', of: 'rate', from: 1, to: 50 }, { durationS: 60 }),
      plan({ shape: 'ramp', of: 'rate', from: 30, to: 3 }, { durationS: 7 }),
    ];
    for (const p of plans) {
      const load = fakeLoad({ serviceMs: 1 });
      const outcome = await load.run(runPhase(p, load.driver));
      expect([describePhase(p), outcome.sent]).toEqual([describePhase(p), expectedRequests(p)]);
    }
  });

  it('lists every problem of a plan, and runPhase refuses it', async () => {
    expect(phaseProblems(plan({ shape: 'closed-loop', concurrency: 8 }, { requests: 10 }))).toEqual([]);
    expect(phaseProblems(plan({ shape: 'closed-loop', concurrency: 0.5, thinkTimeMs: -1 }, {}))).toEqual([
      'give requests or durationS, or the phase never ends',
      'concurrency must be a whole number > 0, got 0.5',
      'thinkTimeMs must be a number >= 0, got -1',
    ]);
    expect(phaseProblems(plan({ shape: 'poisson', rate: 0 }, { requests: 1.5 }, { seconds: -1 }))).toEqual([
      'requests must be a whole number > 0, got 1.5',
      'warm-up seconds must be a number >= 0, got -1',
      'rate must be a number > 0, got 0',
    ]);
    expect(phaseProblems(plan({ shape: 'ramp', of: 'users', from: 0, to: 0 }, { requests: 5 }))).toEqual([
      'a ramp from 0 to 0 sends nothing',
      'a ramp needs durationS: it rises over the phase duration',
    ]);
    expect(phaseProblems(plan({ shape: 'burst' } as unknown as PhasePlan['load'], { requests: 5 }))[0]).toMatch(/unknown load shape "burst"/);
    const load = fakeLoad();
    await expect(runPhase(plan({ shape: 'poisson', rate: -1 }, { durationS: 1 }), load.driver)).rejects.toThrow('phase "p": rate must be a number > 0');
    expect(load.sends).toHaveLength(0);
  });
});
