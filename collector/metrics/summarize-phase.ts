// Folds one engine's requests in one load phase into its summary. Records are added as they
// finish (or streamed back from disk), so only the per-request numbers are held, never events.
import type { Objective, PhaseSummary, RequestRecord } from '../store/schema/index.ts';
import { summarize } from './distribution.ts';
import { round3 } from './precision.ts';
import { requestMetrics } from './request-metrics.ts';
import { evaluatePhase } from './slo/evaluate.ts';
import { meetsEvery, perRequestObjectives } from './slo/goodput.ts';

export interface PhaseAccumulator {
  name: string;
  load: PhaseSummary['load'];
  total: number;
  ok: number;
  failed: number;
  dropped: number;
  warmup: number;
  errorsByKind: Record<string, number>;
  outputTokensSource: Record<string, number>;
  stoppedEarly: number;
  inputTokens: number;
  outputTokens: number;
  startMs: number;
  endMs: number;
  ttft: number[];
  tpot: number[];
  itl: number[];
  e2e: number[];
  rate: number[];
  lag: number[];
  /** Measured requests whose record says whether they opened a connection, and how many did. */
  connectionKnown: number;
  newConnections: number;
  /** TTFT of ok requests that reused a connection, and how many ok TTFTs came from new ones. */
  ttftReused: number[];
  ttftNewConnection: number;
  /** The run's objectives (null: no SLO set), and the per-request ones each request is held to. */
  objectives: readonly Objective[] | null;
  perRequest: readonly Objective[];
  /** Measured requests that succeeded and met every per-request objective (goodput). */
  good: number;
}

export function newPhase(name: string, load: PhaseSummary['load'], objectives: readonly Objective[] | null = null): PhaseAccumulator {
  return {
    name,
    load,
    objectives,
    perRequest: perRequestObjectives(objectives ?? []),
    good: 0,
    total: 0,
    ok: 0,
    failed: 0,
    dropped: 0,
    warmup: 0,
    errorsByKind: {},
    outputTokensSource: {},
    stoppedEarly: 0,
    inputTokens: 0,
    outputTokens: 0,
    startMs: Number.POSITIVE_INFINITY,
    endMs: Number.NEGATIVE_INFINITY,
    ttft: [],
    tpot: [],
    itl: [],
    e2e: [],
    rate: [],
    lag: [],
    connectionKnown: 0,
    newConnections: 0,
    ttftReused: [],
    ttftNewConnection: 0,
  };
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export function addRecord(phase: PhaseAccumulator, record: RequestRecord): void {
  if (record.warmup) {
    phase.warmup += 1;
    return;
  }
  phase.total += 1;
  // Send lag counts every measured request, failed or not: it is the client's lateness, not the engine's.
  phase.lag.push(Math.max(0, record.sentMs - record.scheduledMs));
  phase.startMs = Math.min(phase.startMs, record.sentMs);
  phase.endMs = Math.max(phase.endMs, record.sentMs + (record.endMs ?? 0));
  const newConnection = record.newConnection ?? null;
  if (newConnection !== null) {
    phase.connectionKnown += 1;
    if (newConnection) phase.newConnections += 1;
  }
  if (record.status !== 'ok') {
    phase.failed += 1;
    bump(phase.errorsByKind, record.error?.kind ?? 'unknown');
    return;
  }
  phase.ok += 1;
  const metrics = requestMetrics(record);
  if (metrics.ttftMs !== null) {
    phase.ttft.push(metrics.ttftMs);
    if (newConnection === false) phase.ttftReused.push(metrics.ttftMs);
    else if (newConnection === true) phase.ttftNewConnection += 1;
  }
  if (metrics.e2eMs !== null) phase.e2e.push(metrics.e2eMs);
  if (metrics.tpotMs !== null) phase.tpot.push(metrics.tpotMs);
  if (metrics.outputTokensPerS !== null) phase.rate.push(metrics.outputTokensPerS);
  for (const gap of metrics.itlMs) phase.itl.push(gap);
  phase.inputTokens += record.inputTokens ?? 0;
  phase.outputTokens += record.outputTokens ?? 0;
  if (record.outputTokensSource) bump(phase.outputTokensSource, record.outputTokensSource);
  if (record.stoppedEarly) phase.stoppedEarly += 1;
  if (phase.perRequest.length > 0 && meetsEvery(phase.perRequest, metrics)) phase.good += 1;
}

export function addDropped(phase: PhaseAccumulator, count: number): void {
  phase.dropped += count;
}

export function finishPhase(phase: PhaseAccumulator): PhaseSummary {
  const figures = phaseFigures(phase);
  if (phase.objectives === null) return figures;
  const samples = { ttft: phase.ttft, tpot: phase.tpot, itl: phase.itl, e2e: phase.e2e };
  return { ...figures, slo: evaluatePhase(phase.objectives, figures, samples, phase.good) };
}

function phaseFigures(phase: PhaseAccumulator): PhaseSummary {
  const hasWindow = Number.isFinite(phase.startMs) && phase.endMs > phase.startMs;
  const durationS = hasWindow ? (phase.endMs - phase.startMs) / 1000 : 0;
  const perS = (value: number): number => (durationS > 0 ? round3(value / durationS) : 0);
  return {
    name: phase.name,
    load: phase.load,
    window: {
      startMs: hasWindow ? phase.startMs : 0,
      endMs: hasWindow ? phase.endMs : 0,
      durationS: round3(durationS),
    },
    requests: { total: phase.total, ok: phase.ok, failed: phase.failed, dropped: phase.dropped, warmup: phase.warmup },
    errorsByKind: phase.errorsByKind,
    ttftMs: summarize(phase.ttft),
    tpotMs: summarize(phase.tpot),
    itlMs: summarize(phase.itl),
    e2eMs: summarize(phase.e2e),
    requestOutputTokensPerS: summarize(phase.rate),
    inputTokens: phase.inputTokens,
    outputTokens: phase.outputTokens,
    outputTokensSource: phase.outputTokensSource,
    stoppedEarly: phase.stoppedEarly,
    requestsPerS: perS(phase.ok),
    outputTokensPerS: perS(phase.outputTokens),
    sendLagMs: summarize(phase.lag),
    ...(phase.connectionKnown > 0 ? { newConnections: phase.newConnections } : {}),
    // Only when it differs from ttftMs: some TTFTs include a handshake and some do not.
    ...(phase.ttftNewConnection > 0 && phase.ttftReused.length > 0 ? { ttftReusedMs: summarize(phase.ttftReused) } : {}),
  };
}
