import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRecord, validEvents } from '../../../collector/store/check-record.ts';
import { RecordedEvent, RequestRecord } from '../../../collector/store/schema/index.ts';

const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1.5, -1, 2 ** 53, 2 ** 53 - 1, Number.NaN, Number.POSITIVE_INFINITY));
const kind = fc.oneof(fc.constantFrom(...RecordedEvent.def.items[1].options), fc.string());
const event = fc.oneof(
  fc.tuple(anyNumber, kind, fc.oneof(fc.constant(null), anyNumber), anyNumber),
  fc.array(fc.anything(), { maxLength: 5 }),
  fc.anything(),
);

const record = {
  seq: 0, engine: 'e', phase: 'p', warmup: false, promptId: 'x', scheduledMs: 0, sentMs: 0, headersMs: 1, endMs: 2,
  httpStatus: 200, status: 'ok', error: null, finishReason: 'stop', stoppedEarly: false, inputTokens: 1, outputTokens: 2,
  outputTokensSource: 'usage', native: null, text: 'hi', textTruncated: false,
};

describe('checkRecord', () => {
  it('judges events exactly as the schema does', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), (events) => {
        expect(validEvents(events)).toBe(RecordedEvent.array().safeParse(events).success);
      }),
      { numRuns: 600 },
    );
  });

  it('judges whole records as the schema does, with the same data and the same issues', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 4 }), fc.option(fc.anything()), (events, seq) => {
        const value = { ...record, events, ...(seq === null ? {} : { seq }) };
        const fast = checkRecord(value);
        const full = RequestRecord.safeParse(value);
        expect(fast.success).toBe(full.success);
        if (full.success) expect(fast.data).toEqual(full.data);
        else expect(fast.error!.issues).toEqual(full.error.issues);
      }),
      { numRuns: 300 },
    );
  });
});
