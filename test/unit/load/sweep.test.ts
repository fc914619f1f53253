// Sweeps: phases per level with readable names, and the automatic sweep's calibration and spacing.
import { describe, expect, it } from 'vitest';
import { autoSweepCalibration, autoSweepPhases, sweepPhases } from '../../../collector/load/sweep.ts';

describe('sweepPhases', () => {
  it('makes one closed-loop phase per concurrency, named c<users>', () => {
    expect(sweepPhases({ concurrency: [1, 8, 32], bounds: { requests: 100 }, warmup: { requests: 2 } })).toEqual([
      { name: 'c1', load: { shape: 'closed-loop', concurrency: 1 }, bounds: { requests: 100 }, warmup: { requests: 2 } },
      { name: 'c8', load: { shape: 'closed-loop', concurrency: 8 }, bounds: { requests: 100 }, warmup: { requests: 2 } },
      { name: 'c32', load: { shape: 'closed-loop', concurrency: 32 }, bounds: { requests: 100 }, warmup: { requests: 2 } },
    ]);
  });

  it('makes one open-loop phase per rate, named r<rate>, poisson unless told', () => {
    expect(sweepPhases({ rate: [2.5, 10], bounds: { durationS: 30 } }).map((p) => [p.name, p.load])).toEqual([
      ['r2.5', { shape: 'poisson', rate: 2.5 }],
      ['r10', { shape: 'poisson', rate: 10 }],
    ]);
    expect(sweepPhases({ rate: [2.5, 10], arrival: 'constant', maxInFlight: 16, bounds: { durationS: 30 } }).map((p) => p.load)).toEqual([
      { shape: 'constant-rate', rate: 2.5, maxInFlight: 16 },
      { shape: 'constant-rate', rate: 10, maxInFlight: 16 },
    ]);
  });

  it('names a single level `main`', () => {
    expect(sweepPhases({ concurrency: [4], bounds: { requests: 10 } })).toEqual([
      { name: 'main', load: { shape: 'closed-loop', concurrency: 4 }, bounds: { requests: 10 } },
    ]);
    expect(sweepPhases({ rate: [5], bounds: { requests: 10 } }).map((p) => p.name)).toEqual(['main']);
  });
});

describe('automatic sweep', () => {
  it('calibrates with a sequential phase and a saturating closed loop', () => {
    expect(autoSweepCalibration({ durationS: 30 })).toEqual([
      { name: 'auto-sequential', load: { shape: 'sequential' }, bounds: { durationS: 30 } },
      { name: 'auto-saturated', load: { shape: 'closed-loop', concurrency: 64 }, bounds: { durationS: 30 } },
    ]);
  });

  it('spreads `steps` rates evenly strictly between the two measured throughputs', () => {
    const phases = autoSweepPhases(2, 14, 5, 'poisson', { durationS: 30 }, 128);
    expect(phases.map((p) => p.name)).toEqual(['r4', 'r6', 'r8', 'r10', 'r12']);
    expect(phases[0]).toEqual({ name: 'r4', load: { shape: 'poisson', rate: 4, maxInFlight: 128 }, bounds: { durationS: 30 } });
    expect(autoSweepPhases(2, 14, 2, 'constant', { requests: 50 }).map((p) => p.load)).toEqual([
      { shape: 'constant-rate', rate: 6 },
      { shape: 'constant-rate', rate: 10 },
    ]);
  });

  it('rounds rates to 3 significant digits and runs levels that round alike once', () => {
    expect(autoSweepPhases(1.2, 30, 5, 'poisson', { durationS: 30 }).map((p) => p.name)).toEqual(['r6', 'r10.8', 'r15.6', 'r20.4', 'r25.2']);
    expect(autoSweepPhases(1, 13.3333, 3, 'poisson', { durationS: 30 }).map((p) => p.name)).toEqual(['r4.08', 'r7.17', 'r10.2']);
    expect(autoSweepPhases(5, 5, 4, 'poisson', { durationS: 30 }).map((p) => p.name)).toEqual(['r5']);
  });

  it('refuses a calibration that measured no throughput', () => {
    expect(() => autoSweepPhases(0, 10, 5, 'poisson', { durationS: 30 })).toThrow(/sequential calibration measured no throughput/);
    expect(() => autoSweepPhases(1, Number.NaN, 5, 'poisson', { durationS: 30 })).toThrow(/saturated/);
  });
});
