// The per-request values a diff compares, read from a run's raw records: the summaries in run.json
// hold percentiles, not the values a test or a bootstrap needs. One pass over the raw file.
import { requestMetrics } from '../metrics/request-metrics.ts';
import { meetsEvery, perRequestObjectives } from '../metrics/slo/goodput.ts';
import { readRequests } from '../store/read-run.ts';
import type { Objective, RequestRecord } from '../store/schema/index.ts';

/** One engine × phase's values, latencies sorted ascending (as quantileRatioInterval needs them). */
export interface PhaseSamples {
  ttftMs: Float64Array;
  itlMs: Float64Array;
  tpotMs: Float64Array;
  e2eMs: Float64Array;
  /** Each successful request's own output rate after its first token. */
  outputTokensPerS: Float64Array;
  /** 1 per measured request that failed, else 0. */
  failed: Float64Array;
  /** 1 per measured request that succeeded and met every per-request objective; null without such objectives. */
  good: Float64Array | null;
}

/** Samples keyed by engine label, then phase name. */
export type RunSamples = Map<string, Map<string, PhaseSamples>>;

interface Collecting {
  ttft: number[];
  itl: number[];
  tpot: number[];
  e2e: number[];
  rate: number[];
  failed: number[];
  good: number[];
}

/**
 * Folds records into per-engine × phase samples. Warm-up requests are left out, as the summaries
 * leave them out. Goodput holds every request to `objectives` (the same on both sides of a diff).
 */
export function samplesOf(records: Iterable<RequestRecord>, objectives: readonly Objective[] | null): RunSamples {
  const perRequest = perRequestObjectives(objectives ?? []);
  const collecting = new Map<string, Map<string, Collecting>>();
  for (const record of records) addTo(collecting, record, perRequest);
  return finish(collecting, perRequest.length > 0);
}

/** samplesOf over a run directory's raw file, streamed. */
export async function readSamples(dir: string, objectives: readonly Objective[] | null): Promise<RunSamples> {
  const perRequest = perRequestObjectives(objectives ?? []);
  const collecting = new Map<string, Map<string, Collecting>>();
  for await (const record of readRequests(dir)) addTo(collecting, record, perRequest);
  return finish(collecting, perRequest.length > 0);
}

function addTo(collecting: Map<string, Map<string, Collecting>>, record: RequestRecord, perRequest: readonly Objective[]): void {
  if (record.warmup) return;
  let phases = collecting.get(record.engine);
  if (!phases) collecting.set(record.engine, (phases = new Map()));
  let c = phases.get(record.phase);
  if (!c) phases.set(record.phase, (c = { ttft: [], itl: [], tpot: [], e2e: [], rate: [], failed: [], good: [] }));
  if (record.status !== 'ok') {
    c.failed.push(1);
    c.good.push(0);
    return;
  }
  c.failed.push(0);
  const m = requestMetrics(record);
  if (m.ttftMs !== null) c.ttft.push(m.ttftMs);
  if (m.e2eMs !== null) c.e2e.push(m.e2eMs);
  if (m.tpotMs !== null) c.tpot.push(m.tpotMs);
  if (m.outputTokensPerS !== null) c.rate.push(m.outputTokensPerS);
  for (const gap of m.itlMs) c.itl.push(gap);
  c.good.push(perRequest.length > 0 && meetsEvery(perRequest, m) ? 1 : 0);
}

function finish(collecting: Map<string, Map<string, Collecting>>, withGoodput: boolean): RunSamples {
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  const out: RunSamples = new Map();
  for (const [engine, phases] of collecting) {
    const byPhase = new Map<string, PhaseSamples>();
    for (const [phase, c] of phases) {
      byPhase.set(phase, {
        ttftMs: sorted(c.ttft),
        itlMs: sorted(c.itl),
        tpotMs: sorted(c.tpot),
        e2eMs: sorted(c.e2e),
        outputTokensPerS: sorted(c.rate),
        failed: Float64Array.from(c.failed),
        good: withGoodput ? Float64Array.from(c.good) : null,
      });
    }
    out.set(engine, byPhase);
  }
  return out;
}
