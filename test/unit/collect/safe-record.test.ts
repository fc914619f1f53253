import { describe, expect, it } from 'vitest';
import { collectNumberProblems, safeRecord } from '../../../collector/collect/safe-record.ts';
import { makeRedactor } from '../../../collector/config/redact.ts';
import { RequestRecord } from '../../../collector/store/schema/index.ts';

const base: RequestRecord = {
  seq: 0, engine: 'e', phase: 'p', warmup: false, promptId: 'x', scheduledMs: 0, sentMs: 0, headersMs: 1, endMs: 5,
  httpStatus: 200, status: 'ok', error: null, finishReason: 'stop', stoppedEarly: false, inputTokens: 3, outputTokens: 2,
  outputTokensSource: 'usage', events: [[2, 'content', null, 1], [3, 'content', null, 1]], native: { a: 1 }, text: 'hi', textTruncated: false,
};

describe('safeRecord', () => {
  it('passes a valid record through unchanged', () => {
    const problems: string[] = [];
    expect(safeRecord(base, (t) => t, problems)).toEqual(base);
    expect(problems).toEqual([]);
  });

  it('drops what the reader would reject and says so, so the record can always be read back', () => {
    const problems: string[] = [];
    const bad = { ...base, native: { a: 1, b: Number.POSITIVE_INFINITY }, events: [...base.events, [Number.NaN, 'content', null, 1]] } as RequestRecord;
    const out = safeRecord(bad, (t) => t, problems);
    expect(RequestRecord.safeParse(out).success).toBe(true);
    expect(out.native).toEqual({ a: 1 });
    expect(out.events).toEqual(base.events);
    expect(problems).toEqual(['native timing "b" is not a finite number: left out', '1 stream event was not valid: left out']);
  });

  it('redacts every string and key but leaves the events as they are', () => {
    const s = 'secret-token-0123456789';
    const out = safeRecord({ ...base, finishReason: `stop ${s}`, native: { [s]: 1 }, text: s }, makeRedactor([s]), []);
    expect(JSON.stringify(out)).not.toContain('secret-token');
    expect(out.events).toEqual(base.events);
  });

  it('refuses to write a record whose own fields are wrong: that is a servebench bug', () => {
    expect(() => safeRecord({ ...base, seq: -1 }, (t) => t, [])).toThrow(/servebench bug/);
  });
});

describe('collectNumberProblems', () => {
  it('counts answers per engine and kind of problem, with the first example', () => {
    const p = collectNumberProblems();
    p.add('a', ['usage stated completion tokens = -3, which is not a whole number >= 0: x']);
    p.add('a', ['usage stated completion tokens = 2.5, which is not a whole number >= 0: x']);
    p.add('b', ['usage stated completion tokens = -1, which is not a whole number >= 0: x']);
    expect(p.warnings()).toEqual([
      'a: 2 answers carried a number no answer can have, left out of the run (first: usage stated completion tokens = -3, which is not a whole number >= 0: x)',
      'b: 1 answer carried a number no answer can have, left out of the run (first: usage stated completion tokens = -1, which is not a whole number >= 0: x)',
    ]);
  });
});
