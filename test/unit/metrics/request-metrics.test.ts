import { describe, expect, it } from 'vitest';
import { requestMetrics } from '../../../collector/metrics/request-metrics.ts';
import type { RecordedEvent } from '../../../collector/store/schema/index.ts';

const text = (ms: number): RecordedEvent => [ms, 'content', null, 1];

describe('requestMetrics', () => {
  it('times decoding from the first to the last text event over N-1 tokens', () => {
    const m = requestMetrics({ events: [[1, 'role', null, 0], text(10), text(20), text(40), [41, 'finish', null, 0]], endMs: 42, outputTokens: 3 });
    expect(m).toEqual({ ttftMs: 10, e2eMs: 42, tpotMs: 15, itlMs: [10, 20], outputTokensPerS: 1000 / 15 });
  });

  it('ends decoding at the last omitted text event when events past the cap were totalled', () => {
    const m = requestMetrics({
      events: [text(10), text(20)],
      endMs: 1001,
      outputTokens: 11,
      eventsOmitted: { count: 10, textEvents: 9, tokens: 0, textChars: 9, firstMs: 30, lastMs: 1000.5, lastTextMs: 1000 },
    });
    expect(m.tpotMs).toBe(99);
    // Only the kept events give gaps.
    expect(m.itlMs).toEqual([10]);
  });
});
