import { describe, expect, it } from 'vitest';
import { type DiffEvidence, diffVerdict } from '../../../../collector/metrics/stats/index.ts';

/** Latency-like evidence (lower is better) from Δ and its interval, in percent; τ = 5 %. */
const latency = (delta: number, lo: number, hi: number, p: number | null = 0.001): DiffEvidence => ({
  delta: delta / 100,
  ci: { lo: lo / 100, hi: hi / 100 },
  p,
  direction: 'lower-is-better',
  samples: { base: 200, head: 200 },
});

describe('diffVerdict', () => {
  it('calls a regression only when the whole interval is beyond τ and the adjusted p agrees', () => {
    expect(diffVerdict(latency(15, 10, 20))).toBe('regression');
    // The same interval with an adjusted p above q only makes it likely.
    expect(diffVerdict(latency(15, 10, 20, 0.2))).toBe('likely regression');
    expect(diffVerdict(latency(15, 10, 20, null))).toBe('likely regression');
  });

  it('calls it likely when the point is beyond τ and the interval clear of 0 but not of τ', () => {
    expect(diffVerdict(latency(8, 2, 14))).toBe('likely regression');
    expect(diffVerdict(latency(8, -1, 14))).toBe('insufficient data');
  });

  it('calls it equivalent only when the whole interval is inside ±τ', () => {
    expect(diffVerdict(latency(1, -4, 5))).toBe('equivalent');
    expect(diffVerdict(latency(3, 1, 6))).toBe('insufficient data');
  });

  it('mirrors for improvements, and flips both for higher-is-better metrics', () => {
    expect(diffVerdict(latency(-15, -20, -10))).toBe('improvement');
    expect(diffVerdict(latency(-8, -14, -2))).toBe('likely improvement');
    const throughput = (e: DiffEvidence): DiffEvidence => ({ ...e, direction: 'higher-is-better' });
    expect(diffVerdict(throughput(latency(15, 10, 20)))).toBe('improvement');
    expect(diffVerdict(throughput(latency(-15, -20, -10)))).toBe('regression');
    expect(diffVerdict(throughput(latency(-8, -14, -2)))).toBe('likely regression');
  });

  it('follows a configured τ and q', () => {
    expect(diffVerdict({ ...latency(15, 10, 20), threshold: 0.12 })).toBe('likely regression');
    expect(diffVerdict({ ...latency(15, 10, 20), threshold: 0.25 })).toBe('equivalent');
    expect(diffVerdict({ ...latency(15, 10, 20, 0.03), q: 0.01 })).toBe('likely regression');
  });

  it('gives insufficient data for too few samples, an open interval or no Δ', () => {
    expect(diffVerdict({ ...latency(15, 10, 20), samples: { base: 200, head: 9 } })).toBe('insufficient data');
    expect(diffVerdict({ ...latency(15, 10, 20), samples: { base: 30, head: 30 }, minSamples: 50 })).toBe('insufficient data');
    expect(diffVerdict({ ...latency(15, 10, 20), ci: { lo: 0.1, hi: null } })).toBe('insufficient data');
    expect(diffVerdict({ ...latency(15, 10, 20), delta: null })).toBe('insufficient data');
  });

  it('gives insufficient data when the interval is too wide to decide', () => {
    expect(diffVerdict(latency(2, -30, 40))).toBe('insufficient data');
  });
});
