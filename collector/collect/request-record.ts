// Turns one request's stream outcome into the raw record written to requests.ndjson.
import type { RequestRecord } from '../store/schema/index.ts';
import type { StreamOutcome } from '../http/stream-request.ts';
import { round3 } from '../metrics/precision.ts';

export interface RecordContext {
  seq: number;
  engine: string;
  phase: string;
  warmup: boolean;
  promptId: string;
  /** Absolute clock readings (same clock as the outcome). */
  origin: number;
  scheduledAt: number;
  maxTokens: number;
}


/**
 * The raw record of one request. Engine numbers that no request can have (a fractional or negative
 * token count) are left out, with a sentence in `problems`, and the fallback count used.
 */
export function toRecord(outcome: StreamOutcome, context: RecordContext, problems: string[] = []): RequestRecord {
  const ok = outcome.error === null && outcome.completed;
  const tokens = outputTokens(outcome, problems);
  const inputTokens = engineCount(outcome.usage?.promptTokens, 'prompt tokens', problems, 'input tokens are not recorded');
  return {
    seq: context.seq,
    engine: context.engine,
    phase: context.phase,
    warmup: context.warmup,
    promptId: context.promptId,
    scheduledMs: round3(context.scheduledAt - context.origin),
    sentMs: round3(outcome.sentAt - context.origin),
    newConnection: outcome.newConnection,
    headersMs: outcome.headersMs,
    endMs: outcome.endMs,
    httpStatus: outcome.httpStatus,
    status: ok ? 'ok' : 'error',
    error: ok
      ? null
      : (outcome.error ?? {
          kind: 'stream_cut',
          message: 'the stream ended before its completion marker',
          classification: null,
          httpStatus: outcome.httpStatus,
        }),
    finishReason: outcome.finishReason,
    stoppedEarly:
      ok && tokens.count !== null ? tokens.count < context.maxTokens && outcome.finishReason !== 'length' : null,
    inputTokens,
    outputTokens: tokens.count,
    outputTokensSource: tokens.source,
    events: outcome.events,
    // Only when events were past the per-request cap, so ordinary records keep their shape.
    ...(outcome.eventsOmitted ? { eventsOmitted: outcome.eventsOmitted } : {}),
    native: outcome.native,
    text: outcome.text,
    textTruncated: outcome.textTruncated,
  };
}

/** N by the documented preference: engine usage, then token events, then text-bearing events. */
function outputTokens(outcome: StreamOutcome, problems: string[]): { count: number | null; source: RequestRecord['outputTokensSource'] } {
  const usage = engineCount(outcome.usage?.completionTokens, 'completion tokens', problems, 'the stream\'s own count is used instead');
  if (usage !== null) return { count: usage, source: 'usage' };
  if (outcome.eventTokens !== null) return { count: outcome.eventTokens, source: 'token-events' };
  if (outcome.textEvents > 0) return { count: outcome.textEvents, source: 'content-events' };
  return { count: null, source: null };
}

/** A token count as the engine stated it, or null (with why in `problems`) when no count can be that. */
function engineCount(value: number | undefined, what: string, problems: string[], instead: string): number | null {
  if (value === undefined) return null;
  if (Number.isSafeInteger(value) && value >= 0) return value;
  problems.push(`usage stated ${what} = ${value}, which is not a whole number >= 0: ${instead}`);
  return null;
}
