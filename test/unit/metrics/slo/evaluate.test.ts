import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../collector/metrics/distribution.ts';
import { evaluatePhase, overallVerdict } from '../../../../collector/metrics/slo/evaluate.ts';
import { parseObjective } from '../../../../collector/metrics/slo/parse.ts';
import { minSamplesFor } from '../../../../collector/metrics/stats/index.ts';
import type { Objective, PhaseSummary } from '../../../../collector/store/schema/index.ts';

const objectives = (...texts: string[]): Objective[] => texts.map((t) => parseObjective(t) as Objective);

/** A phase whose every latency is `values`, with the given request counts and rates. */
function phase(values: number[], counts: { total?: number; failed?: number } = {}, rates = { requestsPerS: 4, outputTokensPerS: 120 }) {
  const total = counts.total ?? values.length;
  const failed = counts.failed ?? 0;
  const d = summarize(values);
  const figures: Omit<PhaseSummary, 'slo'> = {
    name: 'p', load: { shape: 'closed-loop', concurrency: 1 }, window: { startMs: 0, endMs: 10_000, durationS: 10 },
    requests: { total, ok: total - failed, failed, dropped: 0, warmup: 0 }, errorsByKind: {},
    ttftMs: d, tpotMs: d, itlMs: d, e2eMs: d, requestOutputTokensPerS: d,
    inputTokens: 0, outputTokens: 0, outputTokensSource: {}, stoppedEarly: 0, ...rates,
  };
  return { figures, samples: { ttft: values, tpot: values, itl: values, e2e: values } };
}

const evenly = (n: number, from: number, to: number): number[] => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

describe('evaluatePhase', () => {
  it('judges a percentile on its order-statistic interval: met, missed, or inconclusive when it straddles', () => {
    const { figures, samples } = phase(evenly(400, 10, 90));
    const slo = evaluatePhase(objectives('ttft:p95<100ms', 'ttft:p95<50ms', 'ttft:p95<86ms'), figures, samples, 0);
    expect(slo.verdicts.map((v) => [v.objective, v.verdict])).toEqual([
      ['ttft:p95<100ms', 'met'],
      ['ttft:p95<50ms', 'missed'],
      ['ttft:p95<86ms', 'inconclusive'],
    ]);
    const met = slo.verdicts[0]!;
    expect(met.measured).toBe(figures.ttftMs.p95);
    expect(met.ci).toEqual(figures.ttftMs.ci95!.p95);
    expect(met.ci.lo!).toBeLessThan(met.measured!);
    expect(met.ci.hi!).toBeGreaterThan(met.measured!);
    expect(met.margin).toBeCloseTo((100 - met.measured!) / 100, 4);
    expect(slo.verdicts[1]!.margin!).toBeLessThan(0);
    expect(slo.verdict).toBe('missed');
  });

  it('cannot call a p99 met from fewer samples than bound its interval, however fast they are', () => {
    const n = minSamplesFor(0.99) - 1;
    const { figures, samples } = phase(evenly(n, 1, 2));
    const [v] = evaluatePhase(objectives('e2e:p99<1s'), figures, samples, 0).verdicts;
    expect(v!.ci.hi).toBeNull();
    expect(v!.verdict).toBe('inconclusive');
    const more = phase(evenly(n + 1, 1, 2));
    expect(evaluatePhase(objectives('e2e:p99<1s'), more.figures, more.samples, 0).verdicts[0]!.verdict).toBe('met');
  });

  it('judges the error rate on its Wilson interval over the measured requests', () => {
    const none = phase(evenly(50, 1, 2), { total: 50, failed: 0 });
    const [clean] = evaluatePhase(objectives('error_rate<10%'), none.figures, none.samples, 0).verdicts;
    expect(clean).toMatchObject({ objective: 'error_rate<10%', measured: 0, verdict: 'met', margin: 1 });
    expect(clean!.ci.lo).toBe(0);
    expect(clean!.ci.hi!).toBeGreaterThan(0.05);
    expect(evaluatePhase(objectives('error_rate<1%'), none.figures, none.samples, 0).verdicts[0]!.verdict).toBe('inconclusive');
    const all = phase([], { total: 20, failed: 20 });
    expect(evaluatePhase(objectives('error_rate<1%'), all.figures, all.samples, 0).verdicts[0]).toMatchObject({ measured: 1, verdict: 'missed', margin: -99 });
  });

  it('judges a throughput on its value, with no interval (one rate over one window)', () => {
    const { figures, samples } = phase(evenly(10, 1, 2));
    const slo = evaluatePhase(objectives('requests_per_s>=4', 'output_tokens_per_s>150'), figures, samples, 0);
    expect(slo.verdicts).toEqual([
      { objective: 'requests_per_s>=4', measured: 4, ci: { lo: null, hi: null }, verdict: 'met', margin: 0 },
      { objective: 'output_tokens_per_s>150', measured: 120, ci: { lo: null, hi: null }, verdict: 'missed', margin: -0.2 },
    ]);
  });

  it('gives a mean its bootstrap interval, also over more samples than it resamples one by one', () => {
    for (const n of [200, 50_001]) {
      // In arrival order, not sorted: neighbours in a batch are then as unalike as any two samples.
      const sorted = evenly(n, 0, 100);
      const { figures, samples } = phase(sorted.map((_, i) => sorted[(i * 7919) % n]!));
      const [v] = evaluatePhase(objectives('itl:mean<60ms'), figures, samples, 0).verdicts;
      expect(v!.measured).toBe(50);
      expect(v!.ci.lo!).toBeLessThan(50);
      expect(v!.ci.hi!).toBeGreaterThan(50);
      // The standard error of a mean of n uniform values on [0, 100] is 28.9 / √n: the interval is about ±2 of them.
      expect(v!.ci.hi! - v!.ci.lo!).toBeLessThan((4.5 * 28.9) / Math.sqrt(n));
      expect(v!.verdict).toBe('met');
    }
  });

  it('says no data for a latency nothing measured, and for a phase without requests', () => {
    const empty = phase([], { total: 0 });
    const slo = evaluatePhase(objectives('ttft:p50<1s', 'error_rate<1%', 'requests_per_s>1'), empty.figures, empty.samples, 0);
    expect(slo.verdicts.map((v) => v.verdict)).toEqual(['no data', 'no data', 'no data']);
    expect(slo.verdict).toBe('no data');
    expect(slo.goodput).toEqual({ requests: 0, perS: 0, fraction: 0 });
  });
});

describe('overallVerdict', () => {
  it('is missed if any is, else inconclusive if any is or some had no data, else met', () => {
    expect(overallVerdict(['met', 'missed', 'inconclusive'])).toBe('missed');
    expect(overallVerdict(['met', 'inconclusive'])).toBe('inconclusive');
    expect(overallVerdict(['met', 'no data'])).toBe('inconclusive');
    expect(overallVerdict(['met', 'met'])).toBe('met');
    expect(overallVerdict(['no data', 'no data'])).toBe('no data');
    expect(overallVerdict([])).toBe('no data');
  });
});
