// The executive summary's answers over the committed sample runs (collected from the simulator):
// slo-sweep (two engines over 1, 8, 32 and 64 users, capacity interpolated) and all-failed (one
// engine answered nothing), and over hand-made evidence for the rulings' edge cases.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { CapacityAtSlo, Run } from '../../../../collector/store/schema/index.ts';
import { capacityBound, capacityRuling, capacityText, fastestFirstToken, mostLoadWithinSlo, rulingSentence, type CapacityEvidence } from '../../../../site/lib/executive/answers.ts';
import { ms } from '../../../../site/lib/format.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/runs/', import.meta.url));
let sweep: Run;
let failed: Run;
let golden: Run;

beforeAll(async () => {
  [sweep, failed, golden] = await Promise.all([readRun(`${FIXTURES}slo-sweep`), readRun(`${FIXTURES}all-failed`), readRun(`${FIXTURES}golden`)]);
});

function capacity(label: string, c: CapacityAtSlo, lowest: number | null = 1): CapacityEvidence {
  const ci = capacityBound(c, lowest);
  return { label, value: c.how === 'below lowest level' ? 0 : (c.value ?? ci.lo), ci, hasInterval: true, capacity: c, lowest };
}

describe('fastest first token', () => {
  it('rules per load level on the TTFT medians and their intervals, as run.json has them', () => {
    const levels = fastestFirstToken(sweep);
    expect(levels.map((l) => l.phase)).toEqual(['c1', 'c8', 'c32', 'c64']);
    for (const level of levels) {
      for (const e of level.engines) {
        const phase = sweep.engines.find((x) => x.label === e.label)!.phases.find((p) => p.name === level.phase)!;
        expect(e.value).toBe(phase.ttftMs.p50);
        expect(e.ci).toEqual(phase.ttftMs.ci95!.p50);
      }
      // Named only when separated: the winner's upper bound is below every other lower bound.
      const { winner } = level.ruling;
      if (winner !== null) for (const other of level.engines.filter((e) => e !== winner)) expect(winner.ci.hi!).toBeLessThan(other.ci.lo!);
      else expect(rulingSentence(level.ruling, 'TTFT p50', ms, 'ms')).toMatch(/^No clear winner: .* overlap at 95 % confidence\.$/);
    }
    expect(levels[0]!.load).toBe('1 concurrent user');
  });

  it('says when only one engine answered, and names the one that did not', () => {
    const [level] = fastestFirstToken(failed);
    expect(level!.ruling.alone).toBe(true);
    expect(rulingSentence(level!.ruling, 'TTFT p50', ms, 'ms')).toMatch(/^Only vllm-sim, TTFT p50 [\d.]+ ms \([\d.]+–[\d.]+\): nothing to compare with\. No successful request from ollama-sim\.$/);
  });
});

it('gives the numbers but no winner for a run that recorded no intervals', () => {
  const old = structuredClone(sweep);
  for (const e of old.engines) for (const p of e.phases) delete p.ttftMs.ci95;
  const [level] = fastestFirstToken(old);
  const [a, b] = old.engines.map((e) => e.phases[0]!.ttftMs.p50!);
  const [best, next] = a! <= b! ? [['vllm-sim', a!], ['tgi-sim', b!]] : [['tgi-sim', b!], ['vllm-sim', a!]];
  expect(rulingSentence(level!.ruling, 'TTFT p50', ms, 'ms')).toBe(
    `No clear winner: ${best[0]}, TTFT p50 ${ms(best[1] as number)} ms, and ${next[0]} at ${ms(next[1] as number)} ms cannot be told apart: this run recorded no intervals (it was written before run format v4).`,
  );
});

describe('capacity at SLO', () => {
  it('names the engine that met every objective at a level the other missed, with the interpolated number', () => {
    const answer = mostLoadWithinSlo(sweep);
    if (answer.kind !== 'capacity') throw new Error(`expected capacity, got ${answer.kind}`);
    const vllm = sweep.engines[0]!.capacityAtSlo!;
    expect(vllm.how).toBe('interpolated');
    expect(answer.ruling.winner?.label).toBe('vllm-sim');
    expect(capacityText(answer.ruling.winner!)).toBe(
      `about ${vllm.value!.toFixed(1)} concurrent users, interpolated between ${vllm.between![0]} concurrent users (met) and ${vllm.between![1]} concurrent users (missed)`,
    );
  });

  it('calls no winner when the ranges between a level met and a level missed overlap', () => {
    const ruling = capacityRuling([
      capacity('a', { value: 20, unit: 'concurrency', how: 'interpolated', between: [8, 32] }),
      capacity('b', { value: 12, unit: 'concurrency', how: 'interpolated', between: [8, 32] }),
    ]);
    expect(ruling.winner).toBeNull();
    expect(ruling.reason).toBe('overlap');
    expect(ruling.ranked.map((e) => e.label)).toEqual(['a', 'b']);
  });

  it('reads "every level met" as a lower bound and an inconclusive boundary as an open one', () => {
    expect(capacityBound({ value: 64, unit: 'concurrency', how: 'above highest level', between: null }, 1)).toEqual({ lo: 64, hi: null });
    expect(capacityBound({ value: null, unit: 'rate', how: 'below lowest level', between: null }, 2)).toEqual({ lo: 0, hi: 2 });
    expect(capacityBound({ value: 8, unit: 'concurrency', how: 'inconclusive', between: [8, 32] }, 1)).toEqual({ lo: 8, hi: null });
    // Both met every level measured: neither can be said to carry more.
    const both = capacityRuling([
      capacity('a', { value: 64, unit: 'concurrency', how: 'above highest level', between: null }),
      capacity('b', { value: 64, unit: 'concurrency', how: 'above highest level', between: null }),
    ]);
    expect(both.winner).toBeNull();
    // One met everything, the other missed at the lowest level.
    const apart = capacityRuling([
      capacity('low', { value: null, unit: 'concurrency', how: 'below lowest level', between: null }, 1),
      capacity('high', { value: 64, unit: 'concurrency', how: 'above highest level', between: null }),
    ]);
    expect(apart.winner?.label).toBe('high');
  });
});

describe('goodput and no SLO', () => {
  it('keeps an engine that answered nothing out of the goodput ruling', () => {
    const answer = mostLoadWithinSlo(failed);
    if (answer.kind !== 'goodput') throw new Error(`expected goodput, got ${answer.kind}`);
    const [level] = answer.levels;
    expect(level!.ruling.missing).toEqual(['ollama-sim']);
    expect(level!.ruling.alone).toBe(true);
    expect(level!.engines.find((e) => e.label === 'vllm-sim')!.value).toBe(failed.engines[0]!.phases[0]!.slo!.goodput!.perS);
  });

  it('answers "no SLO" for a run that set none', () => {
    expect(golden.slo).toBeNull();
    expect(mostLoadWithinSlo(golden)).toEqual({ kind: 'no slo' });
  });
});
