// τ from an A/A spread: the ladder rule, which rows count, and the one τ for `diff --threshold`.
import { describe, expect, it } from 'vitest';
import { recommend, tauFor } from '../../../collector/noise/recommend.ts';
import type { NoiseMetric, NoiseStat, SpreadRow } from '../../../collector/noise/spread.ts';

describe('tauFor', () => {
  it('is the smallest of 1/2/3/5/10/15/20 % at or above twice the spread', () => {
    expect(tauFor(0)).toBe(0.01);
    expect(tauFor(0.004)).toBe(0.01);
    expect(tauFor(0.005)).toBe(0.01);
    expect(tauFor(0.0051)).toBe(0.02);
    expect(tauFor(0.012)).toBe(0.03);
    expect(tauFor(0.025)).toBe(0.05);
    expect(tauFor(0.026)).toBe(0.1);
    expect(tauFor(0.06)).toBe(0.15);
    expect(tauFor(0.1)).toBe(0.2);
  });

  it('is null when even 20 % does not cover the spread', () => {
    expect(tauFor(0.101)).toBeNull();
    expect(tauFor(1.5)).toBeNull();
  });
});

function row(metric: NoiseMetric, stat: NoiseStat, maxDeviation: number | null, enoughSamples = true, where = { engine: 'e', phase: 'main' }): SpreadRow {
  return {
    ...where,
    metric,
    stat,
    values: [1, 1, 1],
    samples: enoughSamples ? [500, 500, 500] : [40, 40, 40],
    minSamples: 29,
    enoughSamples,
    spread: maxDeviation === null ? null : { runs: 3, median: 1, min: 1, max: 1, maxDeviation, cv: maxDeviation / 2 },
  };
}

describe('recommend', () => {
  it('covers each metric\'s largest spread among the rows with enough values, and the largest τ covers them all', () => {
    const rows = [
      row('ttft', 'p50', 0.02),
      row('ttft', 'p90', 0.01, true, { engine: 'f', phase: 'c8' }),
      row('ttft', 'p99', 0.5, false),
      row('itl', 'p50', 0.01),
      row('itl', 'p90', 0.04, true, { engine: 'f', phase: 'c8' }),
      row('tpot', 'p50', 0.003),
      row('e2e', 'p50', 0.012),
      row('output_tokens_per_s', 'mean', 0.02),
    ];
    const r = recommend(rows, 5);
    expect(r.perMetric.map((m) => [m.metric, m.tau])).toEqual([
      ['ttft', 0.05],
      ['itl', 0.1],
      ['tpot', 0.01],
      ['e2e', 0.03],
      ['output_tokens_per_s', 0.05],
    ]);
    expect(r.perMetric[0]).toMatchObject({ worst: { spread: 0.02, engine: 'e', phase: 'main', stat: 'p50' }, counted: 2, tooFewSamples: 1 });
    expect(r.perMetric[1]!.worst).toEqual({ spread: 0.04, engine: 'f', phase: 'c8', stat: 'p90' });
    expect(r).toMatchObject({ overall: 0.1, setBy: 'itl', uncovered: [], runs: 5, weak: false });
  });

  it('gives no single τ when a metric\'s spread is beyond the ladder, naming every such metric', () => {
    const r = recommend([row('ttft', 'p50', 0.2), row('itl', 'p50', 0.01), row('e2e', 'p90', 0.3)], 5);
    expect(r.perMetric.find((m) => m.metric === 'ttft')!.tau).toBeNull();
    expect(r).toMatchObject({ overall: null, setBy: null, uncovered: ['ttft', 'e2e'] });
  });

  it('leaves a metric with no countable row without a τ, without blocking the others', () => {
    const r = recommend([row('ttft', 'p50', 0.01), row('itl', 'p99', 0.9, false), row('tpot', 'p50', null)], 3);
    expect(r.perMetric.find((m) => m.metric === 'itl')).toMatchObject({ tau: null, worst: null, counted: 0, tooFewSamples: 1 });
    expect(r.perMetric.find((m) => m.metric === 'tpot')).toMatchObject({ tau: null, worst: null, counted: 0, tooFewSamples: 0 });
    expect(r).toMatchObject({ overall: 0.02, setBy: 'ttft', uncovered: [] });
  });

  it('calls fewer than 5 runs weak', () => {
    expect(recommend([row('ttft', 'p50', 0.01)], 4).weak).toBe(true);
    expect(recommend([row('ttft', 'p50', 0.01)], 2).weak).toBe(true);
    expect(recommend([row('ttft', 'p50', 0.01)], 5).weak).toBe(false);
  });
});
