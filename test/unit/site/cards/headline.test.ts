// The headline verdict a share card and a pasted link show, on runs built from the golden fixture
// (two engines, vllm-a and ollama-b, at 2 concurrent users): a winner only when the 95 % intervals
// separate it, "no clear winner" when they overlap, verdicts per engine when an SLO is set,
// capacity at SLO for a sweep, and an engine that failed every request named with its reason.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { Bound, Objective, PhaseSummary, Run } from '../../../../collector/store/schema/index.ts';
import { headlineVerdict } from '../../../../site/lib/cards/headline.ts';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/runs/golden/', import.meta.url));
const TTFT_P95: Objective = { text: 'ttft:p95<200ms', metric: 'ttft', stat: 'p95', op: '<', value: 200, perRequest: true };

let golden: Run;
beforeAll(async () => {
  golden = await readRun(GOLDEN);
});

const none: Bound = { lo: null, hi: null };

/** The golden run with each engine's TTFT median and its interval set. */
function withMedians(a: [number, Bound], b: [number, Bound]): Run {
  const run = structuredClone(golden);
  run.slo = null;
  for (const [engine, [p50, ci]] of [[run.engines[0]!, a], [run.engines[1]!, b]] as const) {
    const phase = engine.phases[0]!;
    phase.ttftMs = { ...phase.ttftMs, p50, ci95: { p50: ci, p90: none, p95: none, p99: none } };
  }
  return run;
}

function verdictOn(phase: PhaseSummary, verdict: 'met' | 'missed', measured: number): void {
  phase.slo = { verdicts: [{ objective: TTFT_P95.text, measured, ci: { lo: measured - 10, hi: measured + 10 }, verdict, margin: (200 - measured) / 200 }], verdict, goodput: null };
}

describe('headlineVerdict', () => {
  it('names the fastest first token only when its interval is apart from the other engine’s', () => {
    const run = withMedians([40, { lo: 30, hi: 50 }], [80, { lo: 70, hi: 90 }]);
    expect(headlineVerdict(run).lines).toEqual(['No SLO set · fastest first token: vllm-a, 40.0 ms median at 2 concurrent users (next: ollama-b, 80.0 ms)']);
  });

  it('says "no clear winner" when the intervals overlap, however far apart the medians', () => {
    const run = withMedians([40, { lo: 30, hi: 75 }], [80, { lo: 70, hi: 90 }]);
    const { text } = headlineVerdict(run);
    expect(text).toBe('No SLO set · fastest first token at 2 concurrent users: no clear winner (the 95 % intervals overlap)');
    expect(text).not.toContain('vllm-a');
  });

  it('says the run recorded no intervals rather than naming a winner on medians alone', () => {
    const run = structuredClone(golden);
    run.slo = null;
    for (const engine of run.engines) delete engine.phases[0]!.ttftMs.ci95;
    expect(headlineVerdict(run).text).toContain('no clear winner (no 95 % intervals recorded)');
  });

  it('gives each engine its verdict at its heaviest load when an SLO is set', () => {
    const run = structuredClone(golden);
    run.slo = { objectives: [TTFT_P95], source: 'command line' };
    verdictOn(run.engines[0]!.phases[0]!, 'met', 120);
    verdictOn(run.engines[1]!.phases[0]!, 'missed', 340);
    expect(headlineVerdict(run).text).toBe('vllm-a met every SLO at 2 concurrent users · ollama-b missed TTFT p95 under 200 ms at 2 concurrent users');
  });

  it('names an engine that failed every request, with the commonest kind of failure', () => {
    const run = structuredClone(golden);
    run.slo = { objectives: [TTFT_P95], source: 'command line' };
    verdictOn(run.engines[0]!.phases[0]!, 'met', 120);
    const failed = run.engines[1]!.phases[0]!;
    failed.requests = { ...failed.requests, ok: 0, failed: failed.requests.total };
    failed.errorsByKind = { http_error: 2, timeout_ttft: 1 };
    expect(headlineVerdict(run).lines).toEqual(['vllm-a met every SLO at 2 concurrent users', 'ollama-b failed every request (http error)']);
  });

  it('gives a sweep its capacity at the SLO, and the engine carrying the most load when the bounds separate', () => {
    const run = structuredClone(golden);
    run.slo = { objectives: [TTFT_P95], source: 'command line' };
    run.engines[0]!.capacityAtSlo = { value: 6, unit: 'concurrency', how: 'interpolated', between: [4, 8] };
    run.engines[1]!.capacityAtSlo = { value: 16, unit: 'concurrency', how: 'above highest level', between: null };
    expect(headlineVerdict(run).lines).toEqual([
      'Most load within the SLO: ollama-b',
      'vllm-a met every SLO up to about 6 concurrent users (interpolated)',
      'ollama-b met every SLO at every level, up to 16 concurrent users',
    ]);
    run.engines[1]!.capacityAtSlo = { value: 7, unit: 'concurrency', how: 'interpolated', between: [4, 8] };
    expect(headlineVerdict(run).lines[0]).toBe('Most load within the SLO: no clear winner');
  });
});
