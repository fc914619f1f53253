import { describe, expect, it } from 'vitest';
import { cliffsDelta } from '../../../../collector/metrics/stats/index.ts';

describe('cliffsDelta', () => {
  it('is +1 or −1 when the samples do not overlap', () => {
    expect(cliffsDelta([10, 11, 12], [1, 2])).toBe(1);
    expect(cliffsDelta([1, 2], [10, 11, 12])).toBe(-1);
  });

  it('counts wins minus losses over all pairs, ties as neither', () => {
    // Pairs of [1, 3, 5] against [2, 3]: 1 loses twice; 3 wins once, ties once; 5 wins twice.
    // Wins 3, losses 2, over 6 pairs: δ = 1/6.
    expect(cliffsDelta([1, 3, 5], [2, 3])).toBeCloseTo(1 / 6, 12);
  });

  it('is 0 for identical samples and undefined for an empty one', () => {
    expect(cliffsDelta([4, 4, 7], [4, 4, 7])).toBe(0);
    expect(cliffsDelta([], [1])).toBeNull();
  });
});
