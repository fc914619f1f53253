import { describe, expect, it } from 'vitest';
import { addRecord, finishPhase, newPhase } from '../../../collector/metrics/summarize-phase.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';

/** An ok streamed request whose first token came `ttftMs` after sending. */
const request = (seq: number, ttftMs: number, newConnection: boolean | null | undefined, extra: Partial<RequestRecord> = {}): RequestRecord => ({
  seq,
  engine: 'e',
  phase: 'p',
  warmup: false,
  promptId: 'x',
  scheduledMs: seq * 100,
  sentMs: seq * 100,
  ...(newConnection === undefined ? {} : { newConnection }),
  headersMs: ttftMs - 1,
  endMs: ttftMs + 20,
  httpStatus: 200,
  status: 'ok',
  error: null,
  finishReason: 'length',
  stoppedEarly: false,
  inputTokens: 5,
  outputTokens: 3,
  outputTokensSource: 'usage',
  events: [
    [ttftMs, 'content', null, 1],
    [ttftMs + 10, 'content', null, 1],
    [ttftMs + 20, 'content', null, 1],
  ],
  native: null,
  text: 'abc',
  textTruncated: false,
  ...extra,
});

const summary = (records: RequestRecord[]) => {
  const phase = newPhase('p', { shape: 'closed-loop' });
  for (const record of records) addRecord(phase, record);
  return finishPhase(phase);
};

describe('connections in a phase summary', () => {
  it('counts the measured requests that opened a connection, failed ones included, warm-up excluded', () => {
    const failed = request(3, 50, true, { status: 'error', error: { kind: 'http_error', message: 'HTTP 500', classification: null, httpStatus: 500 } });
    const s = summary([request(0, 50, true, { warmup: true }), request(1, 50, false), request(2, 50, true), failed]);
    expect(s.newConnections).toBe(2);
  });

  it('gives TTFT without them only when some TTFTs include a handshake and some do not', () => {
    const mixed = summary([request(0, 58, true), request(1, 50, false), request(2, 52, false)]);
    expect(mixed.ttftMs.count).toBe(3);
    expect(mixed.ttftReusedMs).toMatchObject({ count: 2, min: 50, max: 52 });
    expect(summary([request(0, 50, false), request(1, 52, false)]).ttftReusedMs).toBeUndefined();
    const cold = summary([request(0, 58, true), request(1, 57, true)]);
    expect(cold.newConnections).toBe(2);
    expect(cold.ttftReusedMs).toBeUndefined();
  });

  it('says nothing about connections when no record does (runs before format v3)', () => {
    const s = summary([request(0, 50, undefined), request(1, 50, null)]);
    expect(s).not.toHaveProperty('newConnections');
    expect(s).not.toHaveProperty('ttftReusedMs');
  });
});
