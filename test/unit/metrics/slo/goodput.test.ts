import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../../../collector/metrics/slo/parse.ts';
import { meetsEvery } from '../../../../collector/metrics/slo/goodput.ts';
import { addRecord, finishPhase, newPhase } from '../../../../collector/metrics/summarize-phase.ts';
import type { Objective, RequestRecord } from '../../../../collector/store/schema/index.ts';

const objectives = (...texts: string[]): Objective[] => texts.map((t) => parseObjective(t) as Objective);

/** A request sent at `sentMs` whose tokens came at ttft, ttft + gap, …; `tokens` of them. */
const request = (seq: number, ttftMs: number, gapMs: number, tokens: number, extra: Partial<RequestRecord> = {}): RequestRecord => {
  const events: RequestRecord['events'] = Array.from({ length: tokens }, (_, i) => [ttftMs + i * gapMs, 'content', null, 1]);
  return {
    seq, engine: 'e', phase: 'p', warmup: false, promptId: 'x', scheduledMs: seq * 100, sentMs: seq * 100,
    headersMs: 1, endMs: ttftMs + (tokens - 1) * gapMs + 1, httpStatus: 200, status: 'ok', error: null, finishReason: 'length',
    stoppedEarly: false, inputTokens: 5, outputTokens: tokens, outputTokensSource: 'usage', events, native: null, text: 'x'.repeat(tokens), textTruncated: false,
    ...extra,
  };
};

const failed = (seq: number): RequestRecord => ({
  ...request(seq, 10, 10, 1),
  status: 'error', error: { kind: 'http_error', message: 'HTTP 500', classification: null, httpStatus: 500 }, events: [], outputTokens: null,
});

const phaseOf = (slo: Objective[] | null, records: RequestRecord[]) => {
  const phase = newPhase('p', { shape: 'closed-loop', concurrency: 1 }, slo);
  for (const r of records) addRecord(phase, r);
  return finishPhase(phase);
};

describe('goodput', () => {
  it('counts the successful requests whose own TTFT, TPOT and E2E meet every per-request objective', () => {
    const slo = objectives('ttft:p95<100ms', 'tpot:p50<20ms', 'e2e:p99<1s', 'itl:p99<1ms', 'error_rate<50%');
    const records = [
      request(0, 50, 10, 5), // good: 50 ms TTFT, 10 ms TPOT, 91 ms E2E
      request(1, 150, 10, 5), // TTFT too slow
      request(2, 50, 30, 5), // TPOT too slow
      request(3, 50, 19, 60), // E2E 1172 ms too slow
      request(4, 99, 19.9, 3), // good, just inside each
      failed(5),
      request(6, 10, 10, 2, { warmup: true }), // warm-up: not measured at all
    ];
    const phase = phaseOf(slo, records);
    // ITL is not held per request: every request above has gaps over 1 ms.
    expect(phase.requests.total).toBe(6);
    expect(phase.slo!.goodput!.requests).toBe(2);
    expect(phase.slo!.goodput!.fraction).toBe(2 / 6);
    expect(phase.slo!.goodput!.perS).toBeCloseTo(2 / phase.window.durationS, 3);
  });

  it('is null when no objective is held per request, and absent with no SLO set', () => {
    expect(phaseOf(objectives('error_rate<1%', 'itl:p99<50ms'), [request(0, 50, 10, 5)]).slo!.goodput).toBeNull();
    expect(phaseOf(null, [request(0, 50, 10, 5)]).slo).toBeUndefined();
  });

  it('does not hold a one-token answer to a TPOT objective, but holds a request without a TTFT to a TTFT one', () => {
    const slo = objectives('tpot:p50<5ms', 'ttft:p50<100ms');
    expect(meetsEvery(slo, { ttftMs: 40, tpotMs: null, e2eMs: 41 })).toBe(true);
    expect(meetsEvery(slo, { ttftMs: null, tpotMs: 1, e2eMs: 41 })).toBe(false);
    expect(meetsEvery(objectives('ttft:p50<=40ms'), { ttftMs: 40, tpotMs: null, e2eMs: 41 })).toBe(true);
    expect(meetsEvery(objectives('ttft:p50<40ms'), { ttftMs: 40, tpotMs: null, e2eMs: 41 })).toBe(false);
  });
});
