// Live numbers for one engine and phase while it runs: counts, in-flight, a rolling TTFT median and
// the output token rate over the last few seconds. Bounded memory: fixed-size windows only.
import { requestMetrics } from '../metrics/request-metrics.ts';
import type { RequestRecord } from '../store/schema/index.ts';

const TTFT_WINDOW = 200;
const RATE_WINDOW_MS = 5_000;

export interface PhaseProgress {
  engine: string;
  phase: string;
  simulated: boolean;
  description: string;
  startedAt: number;
  /** Expected end: a request count and/or a deadline. */
  expectedRequests: number | null;
  deadlineAt: number | null;
  done: number;
  ok: number;
  failed: number;
  inFlight: number;
  ttft: number[];
  tokens: [at: number, n: number][];
}

export function startPhaseProgress(
  p: Pick<PhaseProgress, 'engine' | 'phase' | 'simulated' | 'description' | 'expectedRequests'>,
  now: number,
  durationS: number | null,
): PhaseProgress {
  return { ...p, startedAt: now, deadlineAt: durationS === null ? null : now + durationS * 1000, done: 0, ok: 0, failed: 0, inFlight: 0, ttft: [], tokens: [] };
}

export function onSent(progress: PhaseProgress): void {
  progress.inFlight += 1;
}

export function onRecorded(progress: PhaseProgress, record: RequestRecord, now: number): void {
  progress.inFlight = Math.max(0, progress.inFlight - 1);
  progress.done += 1;
  if (record.status === 'ok') progress.ok += 1;
  else progress.failed += 1;
  const ttft = requestMetrics(record).ttftMs;
  if (ttft !== null) {
    progress.ttft.push(ttft);
    if (progress.ttft.length > TTFT_WINDOW) progress.ttft.shift();
  }
  if (record.outputTokens) progress.tokens.push([now, record.outputTokens]);
  while (progress.tokens.length > 0 && progress.tokens[0]![0] < now - RATE_WINDOW_MS) progress.tokens.shift();
}

export interface ProgressView {
  engine: string;
  phase: string;
  simulated: boolean;
  description: string;
  done: number;
  ok: number;
  failed: number;
  inFlight: number;
  ttftP50Ms: number | null;
  outputTokensPerS: number;
  etaS: number | null;
}

export function view(progress: PhaseProgress, now: number): ProgressView {
  const sorted = [...progress.ttft].sort((a, b) => a - b);
  const elapsedS = (now - progress.startedAt) / 1000;
  const windowS = Math.min(RATE_WINDOW_MS / 1000, Math.max(elapsedS, 0.001));
  const tokens = progress.tokens.reduce((sum, [, n]) => sum + n, 0);
  const byCount =
    progress.expectedRequests !== null && progress.done > 0
      ? (elapsedS / progress.done) * Math.max(0, progress.expectedRequests - progress.done)
      : null;
  const byTime = progress.deadlineAt === null ? null : Math.max(0, (progress.deadlineAt - now) / 1000);
  const eta = byCount === null ? byTime : byTime === null ? byCount : Math.min(byCount, byTime);
  return {
    engine: progress.engine,
    phase: progress.phase,
    simulated: progress.simulated,
    description: progress.description,
    done: progress.done,
    ok: progress.ok,
    failed: progress.failed,
    inFlight: progress.inFlight,
    ttftP50Ms: sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!,
    outputTokensPerS: tokens / windowS,
    etaS: eta,
  };
}
