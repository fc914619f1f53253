import { describe, expect, it } from 'vitest';
import { createFaultInjector, parseFaultFlags, type FaultConfig } from '../../../collector/sim/faults.ts';
import type { Rng } from '../../../collector/sim/types.ts';

/** A tiny deterministic generator for these tests only (the simulator has its own seeded one). */
function lcg(seed: number): Rng {
  let state = seed >>> 0;
  return { next: () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) };
}

const plans = (config: FaultConfig, seed: number, n: number, queueDepth = 0) => {
  const injector = createFaultInjector(config, lcg(seed));
  return Array.from({ length: n }, () => injector.plan({ kind: 'vllm', queueDepth, outputTokens: 50 }));
};

describe('fault injection', () => {
  it('injects nothing when no rate is set', () => {
    expect(plans({}, 1, 200).every((p) => Object.keys(p).length === 0)).toBe(true);
  });

  it('hits each configured rate within sampling error', () => {
    const n = 20_000;
    const result = plans({ http500: 0.1, reset: 0.05, cut: 0.2, stall: 0.1 }, 7, n);
    const share = (pred: (p: (typeof result)[number]) => boolean) => result.filter(pred).length / n;
    expect(share((p) => p.beforeHeaders?.kind === 'http' && p.beforeHeaders.status === 500)).toBeCloseTo(0.1, 1);
    expect(share((p) => p.beforeHeaders?.kind === 'reset')).toBeCloseTo(0.05, 1);
    // Mid-stream faults apply to requests that got past the header faults (85 % here).
    expect(share((p) => p.midStream?.kind === 'cut')).toBeCloseTo(0.2 * 0.85, 1);
    expect(share((p) => p.midStream?.kind === 'stall')).toBeCloseTo(0.1 * 0.85, 1);
  });

  it('replays the same faults for the same seed and differs for another seed', () => {
    const config: FaultConfig = { http503: 0.2, errorEvent: 0.3, malformed: 0.1, slowHeaders: 0.2 };
    expect(plans(config, 42, 300)).toEqual(plans(config, 42, 300));
    expect(plans(config, 42, 300)).not.toEqual(plans(config, 43, 300));
  });

  it('strikes mid-stream faults after the first token and before the last', () => {
    for (const plan of plans({ cut: 1 }, 3, 500)) {
      expect(plan.midStream!.atToken).toBeGreaterThanOrEqual(1);
      expect(plan.midStream!.atToken).toBeLessThan(50);
    }
  });

  it('answers 429 with Retry-After only while the queue is deeper than the limit', () => {
    expect(plans({ rateLimitQueueOver: 4, retryAfterS: 2 }, 1, 10, 4).some((p) => p.beforeHeaders)).toBe(false);
    expect(plans({ rateLimitQueueOver: 4, retryAfterS: 2 }, 1, 1, 5)[0]!.beforeHeaders).toEqual({ kind: 'http', status: 429, retryAfterS: 2 });
  });

  it('carries the stall length and the header delay', () => {
    expect(plans({ stall: 1, stallS: 3 }, 1, 1)[0]!.midStream).toMatchObject({ kind: 'stall', stallMs: 3000 });
    expect(plans({ slowHeaders: 1, slowHeadersMs: 750 }, 1, 1)[0]!.headerDelayMs).toBe(750);
  });

  it('parses --fault flags and names the valid fault names on a mistake', () => {
    expect(parseFaultFlags(['http500=0.1', 'stallS=2'])).toEqual({ config: { http500: 0.1, stallS: 2 }, problems: [] });
    const bad = parseFaultFlags(['htp500=0.1', 'cut=2', 'nonsense']);
    expect(bad.problems.join('\n')).toContain('htp500');
    expect(bad.problems.join('\n')).toContain('names: http500');
    expect(bad.problems.join('\n')).toContain('"nonsense" is not NAME=NUMBER');
  });
});
