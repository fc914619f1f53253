import { describe, expect, it } from 'vitest';
import { type Bound, type Comparison, type Verdict, verdictFor } from '../../../../collector/metrics/stats/index.ts';

const ci = (lo: number | null, hi: number | null): Bound => ({ lo, hi });

describe('verdictFor', () => {
  const cases: Array<[Comparison, Bound, Verdict]> = [
    ['<', ci(80, 95), 'met'],
    ['<', ci(80, 100), 'inconclusive'], // the top touches the limit: not below it
    ['<', ci(95, 105), 'inconclusive'],
    ['<', ci(100, 120), 'missed'],
    ['<', ci(80, null), 'inconclusive'], // too few samples to bound the top: never met
    ['<', ci(null, 90), 'met'],
    ['<', ci(null, null), 'inconclusive'],
    ['<=', ci(80, 100), 'met'],
    ['<=', ci(100, 120), 'inconclusive'],
    ['<=', ci(101, 120), 'missed'],
    ['>', ci(101, 120), 'met'],
    ['>', ci(100, 120), 'inconclusive'],
    ['>', ci(80, 100), 'missed'],
    ['>', ci(null, 90), 'missed'],
    ['>', ci(null, 120), 'inconclusive'],
    ['>=', ci(100, 120), 'met'],
    ['>=', ci(80, 100), 'inconclusive'],
    ['>=', ci(80, 99), 'missed'],
  ];
  for (const [op, bound, verdict] of cases) {
    it(`calls [${bound.lo}, ${bound.hi}] ${op} 100 ${verdict}`, () => {
      expect(verdictFor(90, bound, op, 100)).toBe(verdict);
    });
  }

  it('says no data when nothing was measured, whatever the interval', () => {
    expect(verdictFor(null, ci(1, 2), '<', 100)).toBe('no data');
  });
});
