// The spread of a statistic across A/A runs, on constructed per-run values and samples.
import { describe, expect, it } from 'vitest';
import type { PhaseSamples, RunSamples } from '../../../collector/compare/phase-samples.ts';
import { spreadOf, spreadRows } from '../../../collector/noise/spread.ts';

describe('spreadOf', () => {
  it('gives the median, the largest |run / median − 1| and the coefficient of variation', () => {
    const s = spreadOf([110, 90, 100])!;
    expect(s).toMatchObject({ runs: 3, median: 100, min: 90, max: 110 });
    expect(s.maxDeviation).toBeCloseTo(0.1, 12);
    // sample standard deviation of 90, 100, 110 is 10, their mean 100
    expect(s.cv).toBeCloseTo(0.1, 12);
  });

  it('takes the R-7 median of an even count, so the deviation is from the midpoint', () => {
    const s = spreadOf([100, 104])!;
    expect(s.median).toBe(102);
    expect(s.maxDeviation).toBeCloseTo(2 / 102, 12);
  });

  it('is one-sided when one run stands out: the deviation is the outlier\'s', () => {
    const s = spreadOf([100, 100, 100, 100, 130])!;
    expect(s.maxDeviation).toBeCloseTo(0.3, 12);
    expect(s.cv).toBeGreaterThan(0.1);
    expect(s.cv).toBeLessThan(0.3);
  });

  it('leaves out runs without a value, and is null below two values or at a median that is not positive', () => {
    expect(spreadOf([null, 100, 105, null])!.runs).toBe(2);
    expect(spreadOf([100, null])).toBeNull();
    expect(spreadOf([])).toBeNull();
    expect(spreadOf([0, 0, 5])).toBeNull();
  });
});

function phase(ttft: number[], rates: number[] = [10, 20]): PhaseSamples {
  const sorted = (v: number[]) => Float64Array.from(v).sort();
  return {
    ttftMs: sorted(ttft),
    itlMs: sorted(ttft.map((v) => v / 10)),
    tpotMs: sorted(ttft.map((v) => v / 5)),
    e2eMs: sorted(ttft.map((v) => v * 3)),
    outputTokensPerS: sorted(rates),
    failed: new Float64Array(ttft.length),
    good: null,
  };
}

function run(phases: Record<string, PhaseSamples>, engine = 'a'): RunSamples {
  return new Map([[engine, new Map(Object.entries(phases))]]);
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('spreadRows', () => {
  it('takes each run\'s percentile or mean and marks statistics a run had too few values for', () => {
    // 40 values per run: enough for a p50 (6) and a p90 (29), not a p99 (299)
    const runs = [run({ main: phase(range(100, 40), [10, 20]) }), run({ main: phase(range(110, 40), [12, 22]) }), run({ main: phase(range(90, 40), [8, 18]) })];
    const rows = spreadRows(runs);
    expect(rows.map((r) => `${r.metric} ${r.stat}`)).toEqual([
      'ttft p50', 'ttft p90', 'ttft p99', 'itl p50', 'itl p90', 'itl p99', 'tpot p50', 'tpot p90', 'tpot p99', 'e2e p50', 'e2e p90', 'e2e p99', 'output_tokens_per_s mean',
    ]);
    const ttft50 = rows.find((r) => r.metric === 'ttft' && r.stat === 'p50')!;
    expect(ttft50.values).toEqual([119.5, 129.5, 109.5]);
    expect(ttft50.enoughSamples).toBe(true);
    expect(ttft50.spread!.median).toBe(119.5);
    expect(ttft50.spread!.maxDeviation).toBeCloseTo(10 / 119.5, 12);
    expect(rows.find((r) => r.metric === 'ttft' && r.stat === 'p90')).toMatchObject({ minSamples: 29, enoughSamples: true });
    expect(rows.find((r) => r.metric === 'ttft' && r.stat === 'p99')).toMatchObject({ minSamples: 299, enoughSamples: false, samples: [40, 40, 40] });
    // 2 requests' rates per run: a mean needs 10 for the diff to judge it
    expect(rows.find((r) => r.metric === 'output_tokens_per_s')).toMatchObject({ values: [15, 17, 13], samples: [2, 2, 2], enoughSamples: false });
  });

  it('gives a run missing a phase null there, and lists phases and engines in the order they first appear', () => {
    const runs: RunSamples[] = [
      run({ first: phase(range(100, 10)) }),
      new Map([
        ['a', new Map([['first', phase(range(100, 10))], ['second', phase(range(50, 10))]])],
        ['b', new Map([['first', phase(range(70, 10))]])],
      ]),
    ];
    const rows = spreadRows(runs).filter((r) => r.metric === 'ttft' && r.stat === 'p50');
    expect(rows.map((r) => [r.engine, r.phase])).toEqual([['a', 'first'], ['a', 'second'], ['b', 'first']]);
    expect(rows[1]).toMatchObject({ values: [null, 54.5], samples: [0, 10], enoughSamples: false, spread: null });
    expect(rows[0]!.spread!.maxDeviation).toBe(0);
  });
});
