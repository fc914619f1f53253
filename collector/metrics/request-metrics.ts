// Per-request derived numbers, computed from the raw record only (see DEFINITIONS).
import type { RecordedEvent, RequestRecord } from '../store/schema/index.ts';

const TEXT_KINDS = new Set<RecordedEvent[1]>(['content', 'reasoning', 'tool-call']);

export interface RequestMetrics {
  ttftMs: number | null;
  e2eMs: number | null;
  tpotMs: number | null;
  /** Gaps between consecutive text-bearing events. */
  itlMs: number[];
  /** (N-1) / decode time: the request's own output rate after its first token. */
  outputTokensPerS: number | null;
}

export function isTextEvent(event: RecordedEvent): boolean {
  return TEXT_KINDS.has(event[1]) && event[3] > 0;
}

export function requestMetrics(record: Pick<RequestRecord, 'events' | 'endMs' | 'outputTokens' | 'eventsOmitted'>): RequestMetrics {
  const textTimes: number[] = [];
  for (const event of record.events) if (isTextEvent(event)) textTimes.push(event[0]);
  const first = textTimes[0];
  // Past the per-request cap, events are totalled: decoding ended at the last omitted text event.
  // ITL gaps come from the kept events only.
  const last = record.eventsOmitted?.lastTextMs ?? textTimes[textTimes.length - 1];
  const itlMs: number[] = [];
  for (let i = 1; i < textTimes.length; i++) itlMs.push(textTimes[i]! - textTimes[i - 1]!);
  const n = record.outputTokens;
  const decodeMs = first !== undefined && last !== undefined ? last - first : null;
  const tpotMs = n !== null && n >= 2 && decodeMs !== null ? decodeMs / (n - 1) : null;
  return {
    ttftMs: first ?? null,
    e2eMs: record.endMs,
    tpotMs,
    itlMs,
    outputTokensPerS: tpotMs !== null && tpotMs > 0 ? 1000 / tpotMs : null,
  };
}
