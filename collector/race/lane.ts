// One engine's lane in a race: the answer as it streams in and the live numbers shown above it.
// Live numbers follow the definitions of collector/metrics (TTFT to the first text-bearing event,
// output rate over the decode phase); once the request is recorded, the record's own numbers win.
import type { StreamEvent } from '../engines/engine.ts';
import { requestMetrics } from '../metrics/request-metrics.ts';
import type { RequestRecord } from '../store/schema/index.ts';

export type LaneStatus = 'waiting' | 'streaming' | 'done' | 'failed';

export interface Lane {
  label: string;
  simulated: boolean;
  /** Answer text received so far (raw engine text: sanitize before printing), cut at textLimit. */
  text: string;
  textLimit: number;
  status: LaneStatus;
  sentAt: number | null;
  firstTextAt: number | null;
  lastTextAt: number | null;
  /** Text-bearing events so far. */
  textEvents: number;
  /** Tokens stated by the wire (TGI token events), when it states them. */
  eventTokens: number | null;
  /** Set from the record once the request finished. */
  final: { ttftMs: number | null; e2eMs: number | null; outputTokens: number | null; tokensPerS: number | null; error: string | null } | null;
}

/** What the view draws for one lane at one moment. */
export interface LaneView {
  label: string;
  simulated: boolean;
  text: string;
  status: LaneStatus;
  ttftMs: number | null;
  tokensPerS: number | null;
  outputTokens: number | null;
  e2eMs: number | null;
  /** Since the request was sent (or 0 before). */
  elapsedMs: number;
  error: string | null;
}

export function newLane(label: string, simulated: boolean, textLimit: number): Lane {
  return {
    label,
    simulated,
    text: '',
    textLimit,
    status: 'waiting',
    sentAt: null,
    firstTextAt: null,
    lastTextAt: null,
    textEvents: 0,
    eventTokens: null,
    final: null,
  };
}

export function laneSent(lane: Lane, at: number): void {
  lane.sentAt = at;
}

/** Called for every decoded event as it arrives: cheap, since it runs while others are being timed. */
export function laneEvent(lane: Lane, event: StreamEvent, at: number): void {
  if (lane.final) return;
  if (event.tokens !== undefined) lane.eventTokens = (lane.eventTokens ?? 0) + event.tokens;
  const carried = event.text ?? event.reasoning ?? event.toolCall ?? '';
  if (carried.length > 0 && (event.kind === 'content' || event.kind === 'reasoning' || event.kind === 'tool-call')) {
    lane.textEvents += 1;
    lane.firstTextAt ??= at;
    lane.lastTextAt = at;
    lane.status = 'streaming';
  }
  if (event.text && lane.text.length < lane.textLimit) lane.text += event.text.slice(0, lane.textLimit - lane.text.length);
}

/** The request is recorded: its numbers replace the live estimates, its text the streamed one. */
export function laneFinished(lane: Lane, record: RequestRecord): void {
  const metrics = requestMetrics(record);
  const ok = record.status === 'ok';
  lane.status = ok ? 'done' : 'failed';
  lane.text = record.text;
  lane.final = {
    ttftMs: metrics.ttftMs,
    e2eMs: metrics.e2eMs,
    outputTokens: record.outputTokens,
    tokensPerS: metrics.outputTokensPerS,
    error: ok ? null : `${record.error?.kind ?? 'error'}: ${record.error?.message ?? 'unknown'}`,
  };
}

export function laneView(lane: Lane, now: number): LaneView {
  const elapsedMs = lane.sentAt === null ? 0 : Math.max(0, now - lane.sentAt);
  if (lane.final) {
    return { label: lane.label, simulated: lane.simulated, text: lane.text, status: lane.status, ...lane.final, elapsedMs };
  }
  const tokens = lane.eventTokens ?? lane.textEvents;
  const span = lane.firstTextAt !== null && lane.lastTextAt !== null ? lane.lastTextAt - lane.firstTextAt : 0;
  return {
    label: lane.label,
    simulated: lane.simulated,
    text: lane.text,
    status: lane.status,
    ttftMs: lane.firstTextAt !== null && lane.sentAt !== null ? lane.firstTextAt - lane.sentAt : null,
    tokensPerS: tokens >= 2 && span > 0 ? ((tokens - 1) * 1000) / span : null,
    outputTokens: lane.textEvents > 0 ? tokens : null,
    e2eMs: null,
    elapsedMs,
    error: null,
  };
}
