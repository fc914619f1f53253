import { describe, expect, it } from 'vitest';
import { clientWarnings } from '../../../collector/collect/run-collection.ts';
import { summarize } from '../../../collector/metrics/distribution.ts';
import type { PhaseSummary } from '../../../collector/store/schema/index.ts';

const phase = (client: PhaseSummary['client'], sendLagP99: number | null = null): PhaseSummary => {
  const empty = summarize([]);
  return {
    name: 'main', load: { shape: 'closed-loop' }, window: { startMs: 0, endMs: 1, durationS: 1 },
    requests: { total: 1, ok: 1, failed: 0, dropped: 0, warmup: 0 }, errorsByKind: {},
    ttftMs: empty, tpotMs: empty, itlMs: empty, e2eMs: empty, requestOutputTokensPerS: empty,
    inputTokens: 0, outputTokens: 0, outputTokensSource: {}, stoppedEarly: 0, requestsPerS: 1, outputTokensPerS: 1,
    sendLagMs: sendLagP99 === null ? empty : { ...summarize([sendLagP99]) },
    client,
  };
};

describe('clientWarnings', () => {
  it('says when the collector event loop lagged more than a few ms, naming the figure', () => {
    const busy = clientWarnings('vllm', phase({ cpuPercent: summarize([95]), rssMaxBytes: 1, eventLoopLagP99Ms: 7.25 }));
    expect(busy).toEqual([
      "vllm / main: the collector's event loop lagged 7.3 ms (p99), so chunk arrival times may be stamped up to that late: the client may have been the bottleneck; measure with fewer streams per collector",
    ]);
  });

  it('stays quiet for a loop that kept up, or when the figure is missing', () => {
    expect(clientWarnings('vllm', phase({ cpuPercent: summarize([20]), rssMaxBytes: 1, eventLoopLagP99Ms: 0.4 }))).toEqual([]);
    expect(clientWarnings('vllm', phase(null))).toEqual([]);
  });
});
