// Goodput as DistServe defines it: the requests per second that succeeded and whose own latencies
// met every per-request objective. The objective's statistic (p95, …) says how the phase is
// judged; each request is held to its threshold directly.
import type { Objective, PhaseSlo } from '../../store/schema/index.ts';
import type { RequestMetrics } from '../request-metrics.ts';
import { verdictFor } from '../stats/index.ts';
import { round3 } from '../precision.ts';

/** The objectives a request is held to on its own: TTFT, TPOT and E2E. */
export function perRequestObjectives(objectives: readonly Objective[]): Objective[] {
  return objectives.filter((o) => o.perRequest);
}

/**
 * Whether one successful request met every per-request objective. A request with one output
 * token has no TPOT: nothing to hold to a TPOT objective, so it does not count against it (as
 * vLLM's goodput takes its TPOT as 0). A request without a TTFT or E2E cannot show it met one.
 */
export function meetsEvery(objectives: readonly Objective[], metrics: Pick<RequestMetrics, 'ttftMs' | 'tpotMs' | 'e2eMs'>): boolean {
  for (const objective of objectives) {
    const value = objective.metric === 'ttft' ? metrics.ttftMs : objective.metric === 'e2e' ? metrics.e2eMs : objective.metric === 'tpot' ? metrics.tpotMs : undefined;
    if (value === undefined) continue;
    if (value === null) {
      if (objective.metric === 'tpot') continue;
      return false;
    }
    if (verdictFor(value, { lo: value, hi: value }, objective.op, objective.value) !== 'met') return false;
  }
  return true;
}

/** Goodput over a phase: `good` requests of `measured`, in a window of `durationS`. Null without per-request objectives. */
export function goodputOf(objectives: readonly Objective[], good: number, measured: number, durationS: number): PhaseSlo['goodput'] {
  if (perRequestObjectives(objectives).length === 0) return null;
  return {
    requests: good,
    perS: durationS > 0 ? round3(good / durationS) : 0,
    // Not rounded: 1,999 of 2,000 must not read as all of them.
    fraction: measured > 0 ? good / measured : 0,
  };
}
