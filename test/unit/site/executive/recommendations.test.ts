// Each rule firing and not firing, on runs built from the golden fixture with fields changed. The
// golden run measured two engines at 2 users, 3 requests each, one of which got HTTP 429.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRequests, readRun } from '../../../../collector/store/read-run.ts';
import type { PhaseSummary, RequestRecord, Run } from '../../../../collector/store/schema/index.ts';
import { failureReasons, type Recommendation, recommend } from '../../../../site/lib/executive/recommendations.ts';
import { demoRunDir } from '../charts/helpers.ts';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/runs/golden/', import.meta.url));

let golden: Run;
let goldenRecords: RequestRecord[];

beforeAll(async () => {
  golden = await readRun(GOLDEN);
  goldenRecords = [];
  for await (const record of readRequests(GOLDEN)) goldenRecords.push(record);
});

/** The golden run with its first engine's phase changed (and the second's, when given). */
function goldenWith(first: (phase: PhaseSummary) => void, second?: (phase: PhaseSummary) => void): Run {
  const run = structuredClone(golden);
  first(run.engines[0]!.phases[0]!);
  second?.(run.engines[1]!.phases[0]!);
  return run;
}

/** A phase in which every request succeeded, so the golden run's 429s stay out of the way. */
function allOk(phase: PhaseSummary): void {
  phase.requests = { ...phase.requests, ok: phase.requests.total, failed: 0 };
  phase.errorsByKind = {};
}

/** Engine metrics as the scraper stores them, with the given quantiles and gauges. */
function server(quantiles: Array<{ name: string; p50: number }>, series: Array<{ name: string; values: number[] }> = [], deltas: Record<string, number> = {}): NonNullable<PhaseSummary['server']> {
  return {
    source: 'prometheus',
    intervalMs: 1000,
    scrapes: 5,
    failures: 0,
    lastError: null,
    deltas,
    quantiles: quantiles.map((q) => ({ name: q.name, metric: `vllm:request_${q.name}_time_seconds`, count: 3, p50: q.p50, p90: q.p50, p99: q.p50 })),
    series: series.map((s) => ({ name: s.name, metric: `vllm:${s.name}`, points: s.values.map((v, i) => [i * 1000, v] as [number, number]) })),
  };
}

const about = (recommendations: Recommendation[], text: string): Recommendation[] => recommendations.filter((r) => r.finding.includes(text));

describe('recommend', () => {
  it('says nothing about a run with nothing to say', () => {
    expect(recommend(goldenWith(allOk, allOk))).toEqual([]);
  });

  it('says nothing about the committed demo run, whose short queue waits sit in the histogram\'s first bucket', async () => {
    // The simulated vLLM's queue p50 reads 150 ms at 1 user against a TTFT p50 of 21.9 ms.
    expect(recommend(await readRun(demoRunDir()))).toEqual([]);
  });

  it('cites a number in the evidence of every recommendation', () => {
    const runs = [
      golden,
      goldenWith((p) => { p.server = server([{ name: 'queue', p50: 410 }], [{ name: 'kvCacheUsage', values: [0.5, 0.97] }]); p.ttftMs.p50 = 500; }),
      goldenWith((p) => { p.requests = { ...p.requests, ok: 0, failed: 3 }; p.errorsByKind = { timeout_ttft: 3 }; }),
    ];
    const all = runs.flatMap((run) => recommend(run));
    expect(all.length).toBeGreaterThan(3);
    for (const r of all) expect(r.evidence, r.finding).toMatch(/\d/);
  });
});

describe('queue time dominates TTFT', () => {
  const withQueue = (queueMs: number, ttftMs: number, waiting?: number[]) => goldenWith((p) => {
    allOk(p);
    p.ttftMs.p50 = ttftMs;
    p.server = server([{ name: 'queue', p50: queueMs }], waiting === undefined ? [] : [{ name: 'waiting', values: waiting }]);
  }, allOk);

  it('fires when the median queue wait is most of the median TTFT, citing both', () => {
    const [r, ...rest] = recommend(withQueue(410, 500));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ engine: 'vllm-a', phase: 'main', severity: 'warning' });
    expect(r!.evidence).toBe('queue time is 82.0% of TTFT p50 (410.0 of 500.0 ms; queue from vllm:request_queue_time_seconds) at 2 users (main)');
    expect(r!.action).toContain('--max-num-seqs');
  });

  it('does not fire when queueing is under half of TTFT', () => {
    expect(recommend(withQueue(200, 500))).toEqual([]);
  });

  it('does not fire on a few milliseconds of queueing, whatever its share', () => {
    expect(recommend(withQueue(40, 60))).toEqual([]);
  });

  it('does not fire when the queue median exceeds TTFT: the histogram cannot resolve it', () => {
    expect(recommend(withQueue(150, 22))).toEqual([]);
  });

  it('does not fire when the engine never reported a waiting request', () => {
    expect(recommend(withQueue(410, 500, [0, 0, 0]))).toEqual([]);
    expect(recommend(withQueue(410, 500, [0, 3, 1]))).toHaveLength(1);
  });

  it('does not fire without engine metrics', () => {
    expect(recommend(goldenWith((p) => { allOk(p); p.ttftMs.p50 = 500; p.server = null; }, allOk))).toEqual([]);
  });

  it('names the worst phase once and the others it fired in', () => {
    const run = withQueue(410, 500);
    const phase = run.engines[0]!.phases[0]!;
    run.engines[0]!.phases.push({ ...structuredClone(phase), name: 'c8', load: { shape: 'closed-loop', concurrency: 8 }, ttftMs: { ...phase.ttftMs, p50: 450 } });
    const [r, ...rest] = recommend(run);
    expect(rest).toEqual([]);
    expect(r!.phase).toBe('c8');
    expect(r!.evidence).toMatch(/^queue time is 91\.1% of TTFT p50 \(410\.0 of 450\.0 ms; .*\) at 8 users \(c8\); also in main$/);
  });
});

describe('KV cache near full', () => {
  const withKv = (values: number[], deltas: Record<string, number> = {}) => goldenWith((p) => {
    allOk(p);
    p.server = server([], [{ name: 'kvCacheUsage', values }], deltas);
  }, allOk);

  it('fires at a 97 % peak, citing the peak, the scrapes near full and the preemptions', () => {
    const [r, ...rest] = recommend(withKv([0.4, 0.93, 0.97, 0.6], { 'vllm:num_preemptions_total': 14 }));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ engine: 'vllm-a', phase: 'main', severity: 'warning' });
    expect(r!.evidence).toBe('KV cache usage peaked at 97.0% (vllm:kvCacheUsage), at or above 90.0% in 2 of 4 scrapes at 2 users (main), and the engine preempted 14 requests');
    expect(r!.action).toContain('--max-model-len');
  });

  it('does not fire below 90 %', () => {
    expect(recommend(withKv([0.5, 0.89]))).toEqual([]);
  });

  it('ignores values that are not a fraction rather than report 9,700 %', () => {
    expect(recommend(withKv([97, 0.2]))).toEqual([]);
  });
});

describe('HTTP 429 and overloaded answers', () => {
  it('fires for each engine of the golden run, citing the 429 share at its load', () => {
    const found = recommend(golden);
    expect(found.map((r) => r.engine)).toEqual(['vllm-a', 'ollama-b']);
    expect(found[0]).toMatchObject({ severity: 'warning', evidence: 'HTTP 429 on 1 of 3 requests (33.3%) at 2 users (main)' });
    expect(found[0]!.action).toContain('admission limit');
  });

  it('does not fire once no request was turned away', () => {
    expect(recommend(goldenWith(allOk, allOk))).toEqual([]);
  });

  it('counts answers the adapter classed as overloaded, from the records', () => {
    const run = goldenWith((p) => { p.errorsByKind = { http_error: 1 }; }, allOk);
    const reasons = failureReasons([{ ...goldenRecords[1]!, error: { kind: 'http_error', message: 'HTTP 503: overloaded', classification: 'overloaded', httpStatus: 503 } }]);
    const found = recommend(run, reasons);
    expect(found).toHaveLength(1);
    expect(found[0]!.evidence).toBe('"overloaded" on 1 of 3 requests (33.3%) at 2 users (main)');
    // Without the records the same failure is only an HTTP error, which the failure rule reports.
    expect(recommend(run)[0]!.finding).toBe('Some requests to vllm-a failed');
  });
});

describe('the collector could not keep up', () => {
  const withClient = (cpuP90: number, loopLagMs: number | null, sendLagP99Ms: number) => goldenWith((p) => {
    allOk(p);
    const distribution = (v: number) => ({ count: 10, mean: v, min: v, p50: v, p90: v, p95: v, p99: v, max: v, stdev: 0 });
    p.client = { cpuPercent: distribution(cpuP90), rssMaxBytes: 1e8, eventLoopLagP99Ms: loopLagMs };
    p.sendLagMs = distribution(sendLagP99Ms);
  }, allOk);

  it('does not fire when the collector kept up', () => {
    expect(recommend(withClient(40, 1.2, 0.4))).toEqual([]);
    expect(recommend(withClient(40, null, 0.4))).toEqual([]);
  });

  it('fires on a saturated CPU, and calls the results unreliable', () => {
    const [r] = recommend(withClient(97, 1, 0.4));
    expect(r).toMatchObject({ engine: 'vllm-a', severity: 'critical', evidence: 'collector CPU p90 97 % of a core (limit 90 %) at 2 users (main)' });
    expect(r!.action).toMatch(/unreliable.*more collectors/);
  });

  it('fires on event-loop lag and on send lag, naming each', () => {
    expect(recommend(withClient(40, 12, 0.4))[0]!.evidence).toBe('event-loop lag p99 12.0 ms (limit 5 ms) at 2 users (main)');
    expect(recommend(withClient(40, 1, 25))[0]!.evidence).toBe('send lag p99 25.0 ms (limit 10 ms) at 2 users (main)');
    expect(recommend(withClient(95, 12, 25))[0]!.evidence).toContain('collector CPU p90 95 %');
  });
});

describe('every request failed', () => {
  const dead = (p: PhaseSummary) => {
    p.requests = { ...p.requests, ok: 0, failed: 3 };
    p.errorsByKind = { http_error: 3 };
  };
  const notFound = (record: RequestRecord): RequestRecord => ({
    ...record,
    status: 'error',
    httpStatus: 404,
    error: { kind: 'http_error', message: 'HTTP 404: model "llama3.1:8b" not found, try pulling it first', classification: 'model_not_found', httpStatus: 404 },
  });

  it('gives the engine\'s own message and the fix when the records are at hand', () => {
    const run = goldenWith(allOk, dead);
    const reasons = failureReasons(goldenRecords.filter((r) => r.engine === 'ollama-b').map(notFound));
    const [r, ...rest] = recommend(run, reasons);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ engine: 'ollama-b', phase: null, severity: 'critical', finding: 'Every request to ollama-b failed: there is nothing to compare for it' });
    expect(r!.evidence).toBe('0 of 3 requests succeeded; most common: HTTP 404: model "llama3.1:8b" not found, try pulling it first (http_error, 3 requests)');
    expect(r!.action).toContain('Check the model name the engine serves');
  });

  it('falls back to the kind counts and the run\'s own warnings without records', () => {
    const run = goldenWith(allOk, dead);
    run.warnings.push('ollama-b / main: only 1 of 2 connections could be opened: ECONNREFUSED', 'vllm-a / main: unrelated');
    const [r] = recommend(run);
    expect(r!.evidence).toBe('0 of 3 requests succeeded; most common: http_error (3 requests); the run says: ollama-b / main: only 1 of 2 connections could be opened: ECONNREFUSED');
    expect(r!.action).toContain('HTTP error');
  });

  it('cites a failure met while describing the engine, but not a note that it is simulated', () => {
    const run = goldenWith(allOk, dead);
    expect(run.engines[1]!.info.problems.join()).toMatch(/simulated/);
    run.engines[1]!.info.problems.push('/api/show: HTTP 404: model "llama3.1:8b" not found');
    expect(recommend(run)[0]!.evidence).toBe('0 of 3 requests succeeded; most common: http_error (3 requests); the run says: /api/show: HTTP 404: model "llama3.1:8b" not found');
  });

  it('leaves the 429 advice to the failure, when every request was turned away', () => {
    const run = goldenWith(allOk, (p) => { p.requests = { ...p.requests, ok: 0, failed: 3 }; p.errorsByKind = { http_429: 3 }; });
    const found = recommend(run);
    expect(found).toHaveLength(1);
    expect(found[0]!.action).toContain('admission limit');
  });

  it('reports a single dead phase of an engine that succeeded elsewhere', () => {
    const run = goldenWith(allOk, allOk);
    const phase = run.engines[0]!.phases[0]!;
    run.engines[0]!.phases.push({ ...structuredClone(phase), name: 'c64', load: { shape: 'closed-loop', concurrency: 64 }, requests: { ...phase.requests, ok: 0, failed: 3 }, errorsByKind: { timeout_ttft: 3 } });
    const [r, ...rest] = recommend(run);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ engine: 'vllm-a', phase: 'c64', severity: 'critical', evidence: '0 of 3 requests succeeded at 64 users (c64); most common: timeout_ttft (3 requests)' });
    expect(r!.action).toContain('timeouts.ttftS');
  });
});

describe('some requests failed', () => {
  const failing = (failed: number, total: number) => goldenWith((p) => {
    p.requests = { ...p.requests, total, ok: total - failed, failed };
    p.errorsByKind = { stream_cut: failed };
  }, allOk);

  it('gives the share and the most common kind, as a warning from 1 %', () => {
    const [r, ...rest] = recommend(failing(2, 200));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ engine: 'vllm-a', severity: 'warning', evidence: '2 of 200 requests failed (1.0%) at 2 users (main); most common: stream_cut (2 requests)' });
    expect(r!.action).toContain('closed streams');
  });

  it('is only worth knowing under 1 %', () => {
    expect(recommend(failing(1, 200))[0]!.severity).toBe('info');
  });

  it('does not fire when nothing failed', () => {
    expect(recommend(failing(0, 200))).toEqual([]);
  });
});

describe('order', () => {
  it('puts critical findings before warnings', () => {
    const run = goldenWith((p) => { p.requests = { ...p.requests, ok: 0, failed: 3 }; p.errorsByKind = { stream_cut: 3 }; });
    expect(recommend(run).map((r) => `${r.severity} ${r.engine}`)).toEqual(['critical vllm-a', 'warning ollama-b']);
  });
});

describe('failureReasons', () => {
  const failed = (message: string, extra: Partial<RequestRecord> = {}): RequestRecord => ({
    ...goldenRecords[1]!,
    error: { kind: 'engine_error', message, classification: null, httpStatus: null },
    ...extra,
  });

  it('strips terminal control characters from the engine\'s message and cuts it short', () => {
    const [reason] = failureReasons([failed(`\u001b[2Jboom\u0007 ${'x'.repeat(500)}`)]);
    expect(reason!.message.startsWith('boom x')).toBe(true);
    expect(reason!.message).not.toMatch(/[\u0000-\u001f]/);
    expect(reason!.message.length).toBeLessThanOrEqual(201);
  });

  it('counts equal messages together, most common first, leaving out warm-up and successful requests', () => {
    const reasons = failureReasons([failed('a'), failed('b'), failed('b'), failed('c', { warmup: true }), goldenRecords[0]!]);
    expect(reasons.map((r) => [r.message, r.count])).toEqual([['b', 2], ['a', 1]]);
  });

  it('takes a classification named like an object property for text, not for a fix', () => {
    const run = goldenWith((p) => { p.requests = { ...p.requests, ok: 0, failed: 3 }; p.errorsByKind = { engine_error: 3 }; }, allOk);
    const reasons = failureReasons(goldenRecords.filter((r) => r.engine === 'vllm-a').map((r) => failed('odd', { ...r, status: 'error', error: { kind: 'engine_error', message: 'odd', classification: '__proto__', httpStatus: null } })));
    expect(recommend(run, reasons)[0]!.action).toBe('The engine reported an error in the stream: its message says why.');
  });

  it('keeps at most 50 distinct messages a phase and counts the rest together', () => {
    const reasons = failureReasons(Array.from({ length: 120 }, (_, i) => failed(`request ${i} failed`)));
    expect(reasons).toHaveLength(51);
    expect(reasons[0]).toMatchObject({ message: 'further distinct messages', count: 70 });
  });
});
