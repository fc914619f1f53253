// startScraper with a scripted fetcher and fake timers (Date.now is the clock): series, counter
// deltas, histogram quantiles, failures, resets, the null answer and the Ollama /api/ps source.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fetcher, HttpCall } from '../../../collector/engines/engine.ts';
import { startScraper, type ScraperOptions } from '../../../collector/scrape/scraper.ts';
import { createCappedSeries } from '../../../collector/scrape/series.ts';

const ORIGIN = 10_000;
type Reply = { status: number; body: string } | Error | 'hang';

/** Answers each call with the next reply (the last one repeats); records the paths asked. */
function scripted(replies: Reply[]): { fetcher: Fetcher; calls: HttpCall[] } {
  const calls: HttpCall[] = [];
  const fetcher: Fetcher = async (call) => {
    calls.push(call);
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    if (reply === 'hang') return new Promise(() => undefined);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetcher, calls };
}

const ok = (body: string) => ({ status: 200, body });
const L = (extra = '') => `{engine="0",${extra}model_name="m"}`;

/** A vLLM exposition; ttft gives cumulative counts for le 0.1, 0.2, 0.4, +Inf. */
function vllm(v: { running: number; waiting: number; prompt: number; gen: number; stop: number; length: number; ttft: [number, number, number, number] }): string {
  const bounds = ['0.1', '0.2', '0.4', '+Inf'];
  return [
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running${L()} ${v.running}.0`,
    '# TYPE vllm:num_requests_waiting gauge',
    `vllm:num_requests_waiting${L()} ${v.waiting}.0`,
    '# TYPE vllm:prompt_tokens_total counter',
    `vllm:prompt_tokens_total${L()} ${v.prompt}.0`,
    '# TYPE vllm:generation_tokens_total counter',
    `vllm:generation_tokens_total${L()} ${v.gen}.0`,
    '# TYPE vllm:request_success_total counter',
    `vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} ${v.stop}.0`,
    `vllm:request_success_total{engine="0",finished_reason="length",model_name="m"} ${v.length}.0`,
    '# TYPE vllm:time_to_first_token_seconds histogram',
    ...bounds.map((le, i) => `vllm:time_to_first_token_seconds_bucket${L(`le="${le}",`)} ${v.ttft[i]}.0`),
    `vllm:time_to_first_token_seconds_count${L()} ${v.ttft[3]}.0`,
    `vllm:time_to_first_token_seconds_sum${L()} 1.0`,
    '',
  ].join('\n');
}

function start(kind: string, fetcher: Fetcher, extra: Partial<ScraperOptions> = {}) {
  return startScraper({ kind, fetcher, intervalMs: 100, now: () => Date.now(), origin: ORIGIN, ...extra });
}

beforeEach(() => {
  vi.useFakeTimers({ now: ORIGIN });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startScraper on a Prometheus engine', () => {
  it('keeps gauge series, counter deltas and histogram quantiles between the first and last scrape, counting failures', async () => {
    const { fetcher, calls } = scripted([
      ok(vllm({ running: 1, waiting: 0, prompt: 1000, gen: 500, stop: 10, length: 2, ttft: [5, 5, 5, 5] })),
      ok(vllm({ running: 2, waiting: 3, prompt: 1100, gen: 560, stop: 11, length: 2, ttft: [6, 7, 7, 7] })),
      { status: 500, body: 'Internal Server Error' },
      new Error('connect ECONNREFUSED 127.0.0.1:8000'),
      ok(vllm({ running: 2, waiting: 1, prompt: 1400, gen: 900, stop: 13, length: 4, ttft: [7, 12, 14, 15] })),
    ]);
    const scraper = start('vllm', fetcher);
    await scraper.ready;
    await vi.advanceTimersByTimeAsync(300);
    const result = await scraper.stop();

    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.method === 'GET' && c.path === '/metrics')).toBe(true);
    expect(result).not.toBeNull();
    expect(result!.source).toBe('prometheus');
    expect(result!.intervalMs).toBe(100);
    expect(result!.scrapes).toBe(5);
    expect(result!.failures).toBe(2);
    expect(result!.lastError).toBe('connect ECONNREFUSED 127.0.0.1:8000');
    expect(result!.series).toEqual([
      { name: 'running', metric: 'vllm:num_requests_running', points: [[0, 1], [100, 2], [300, 2]] },
      { name: 'waiting', metric: 'vllm:num_requests_waiting', points: [[0, 0], [100, 3], [300, 1]] },
    ]);
    expect(result!.deltas).toEqual({
      'vllm:prompt_tokens_total': 400,
      'vllm:generation_tokens_total': 400,
      'vllm:request_success_total': 5,
      'vllm:request_success_total{finished_reason="stop"}': 3,
      'vllm:request_success_total{finished_reason="length"}': 2,
    });
    // Delta buckets 0.1→2, 0.2→7, 0.4→9, +Inf→10: p50 rank 5 in (0.1, 0.2]: 100 + 100·3/5 ms;
    // p90 rank 9 fills (0.2, 0.4]; p99 rank 9.9 is in +Inf: the highest finite bound.
    expect(result!.quantiles).toEqual([{ name: 'ttft', metric: 'vllm:time_to_first_token_seconds', count: 10, p50: 160, p90: 400, p99: 400 }]);
  });

  it('scrapes every intervalMs until stop, then once more', async () => {
    const { fetcher, calls } = scripted([ok('vllm:num_requests_running{engine="0"} 1\n')]);
    const scraper = start('vllm', fetcher, { intervalMs: 50 });
    await scraper.ready;
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(49);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(6);
    const result = await scraper.stop();
    expect(calls).toHaveLength(7);
    expect(result!.series[0]!.points.map(([t]) => t)).toEqual([0, 50, 100, 150, 200, 250, 250]);
    // Stopping again answers the same, without another scrape; no timer is left behind.
    expect(await scraper.stop()).toBe(result);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(7);
  });

  it('carries a counter over an engine restart, and counts series that appear mid-phase from 0', async () => {
    const { fetcher } = scripted([
      ok('tgi_request_count 100\ntgi_queue_size 0\n'),
      ok('tgi_request_count 150\ntgi_queue_size 2\ntgi_request_failure{err="overloaded"} 3\n'),
      // Restarted: counters start over.
      ok('tgi_request_count 20\ntgi_queue_size 0\ntgi_request_duration_bucket{le="1"} 2\ntgi_request_duration_bucket{le="+Inf"} 2\n'),
      ok('tgi_request_count 30\ntgi_queue_size 0\ntgi_request_failure{err="validation"} 1\ntgi_request_duration_bucket{le="1"} 4\ntgi_request_duration_bucket{le="+Inf"} 4\n'),
    ]);
    const scraper = start('tgi', fetcher);
    await scraper.ready;
    await vi.advanceTimersByTimeAsync(200);
    const result = await scraper.stop();
    expect(result!.failures).toBe(0);
    expect(result!.deltas).toEqual({
      tgi_request_count: 80,
      tgi_request_failure: 4,
      'tgi_request_failure{err="overloaded"}': 3,
      'tgi_request_failure{err="validation"}': 1,
    });
    expect(result!.quantiles).toEqual([{ name: 'e2e', metric: 'tgi_request_duration', count: 4, p50: 500, p90: 900, p99: 990 }]);
  });

  it('counts an unparsable answer as a failed scrape', async () => {
    const { fetcher } = scripted([ok('<!DOCTYPE html><html></html>')]);
    const scraper = start('vllm', fetcher);
    await scraper.ready;
    const result = await scraper.stop();
    expect(result).toMatchObject({ scrapes: 2, failures: 2, series: [], deltas: {}, quantiles: [] });
    expect(result!.lastError).toMatch(/^unparsable metrics/);
  });

  it('counts a fetcher that throws at once (no socket left: EMFILE) as a failed scrape, and goes on scraping', async () => {
    let calls = 0;
    const fetcher: Fetcher = (() => {
      calls += 1;
      throw Object.assign(new Error('connect EMFILE'), { code: 'EMFILE' });
    }) as unknown as Fetcher;
    const scraper = start('vllm', fetcher);
    await scraper.ready;
    await vi.advanceTimersByTimeAsync(250);
    const metrics = await scraper.stop();
    expect(calls).toBe(4);
    expect(metrics).toMatchObject({ scrapes: 4, failures: 4, lastError: 'connect EMFILE' });
  });

  it('gives up on a scrape that does not answer within timeoutMs', async () => {
    const { fetcher } = scripted(['hang']);
    const scraper = start('vllm', fetcher, { timeoutMs: 30 });
    const stopped = scraper.stop();
    await vi.advanceTimersByTimeAsync(100);
    const result = await stopped;
    expect(result).toMatchObject({ scrapes: 2, failures: 2, lastError: 'no answer within 30 ms' });
  });
});

describe('an engine without the endpoint', () => {
  it('is null when every scrape answers 404 (an OpenAI-compatible server) or 501 (llama-server without --metrics)', async () => {
    for (const [kind, status] of [
      ['openai', 404],
      ['llamacpp', 501],
      ['ollama', 404],
    ] as const) {
      const scraper = start(kind, scripted([{ status, body: 'nope' }]).fetcher);
      await vi.advanceTimersByTimeAsync(250);
      expect(await scraper.stop(), kind).toBeNull();
    }
  });

  it('is not null when some failure was something else: the endpoint exists but broke', async () => {
    const scraper = start('vllm', scripted([{ status: 404, body: '' }, { status: 503, body: '' }]).fetcher);
    await scraper.ready;
    const result = await scraper.stop();
    expect(result).toMatchObject({ scrapes: 2, failures: 2, lastError: 'HTTP 503 from /metrics' });
  });

  it('reads an openai engine that turns out to be vLLM with the vLLM map', async () => {
    const scraper = start('openai', scripted([ok(vllm({ running: 2, waiting: 0, prompt: 0, gen: 0, stop: 0, length: 0, ttft: [0, 0, 0, 0] }))]).fetcher);
    await scraper.ready;
    const result = await scraper.stop();
    expect(result!.series.map((s) => s.name)).toEqual(['running', 'waiting']);
  });
});

describe('startScraper on Ollama', () => {
  it('reads loaded models and their VRAM from /api/ps', async () => {
    const model = (name: string, vram: number) => ({ name, model: name, size: vram, size_vram: vram, context_length: 4096 });
    const { fetcher, calls } = scripted([
      ok(JSON.stringify({ models: [] })),
      ok(JSON.stringify({ models: [model('llama3.1:8b', 6e9)] })),
      ok(JSON.stringify({ models: [model('llama3.1:8b', 6e9), model('qwen3:4b', 3e9)] })),
    ]);
    const scraper = start('ollama', fetcher);
    await scraper.ready;
    await vi.advanceTimersByTimeAsync(100);
    const result = await scraper.stop();
    expect(calls.every((c) => c.path === '/api/ps')).toBe(true);
    expect(result).toEqual({
      source: 'ollama-ps',
      intervalMs: 100,
      scrapes: 3,
      failures: 0,
      lastError: null,
      series: [
        { name: 'loadedModels', metric: '/api/ps models', points: [[0, 0], [100, 1], [100, 2]] },
        { name: 'vramBytes', metric: '/api/ps size_vram', points: [[0, 0], [100, 6e9], [100, 9e9]] },
      ],
      deltas: {},
      quantiles: [],
    });
  });

  it('counts a body that is not a model list as a failure', async () => {
    const scraper = start('ollama', scripted([ok('{"error":"x"}')]).fetcher);
    await scraper.ready;
    expect(await scraper.stop()).toMatchObject({ failures: 2, lastError: 'unparsable /api/ps: no "models" list' });
  });
});

describe('createCappedSeries', () => {
  it('halves the points and the rate once above the cap, keeping them evenly spaced', () => {
    const series = createCappedSeries(4);
    for (let i = 0; i < 10; i += 1) series.add(i, i);
    expect(series.points().map(([t]) => t)).toEqual([0, 4, 8]);
    for (let i = 10; i < 1000; i += 1) series.add(i, i);
    const times = series.points().map(([t]) => t);
    expect(times.length).toBeLessThanOrEqual(4);
    const steps = new Set(times.slice(1).map((t, i) => t - times[i]!));
    expect(steps.size).toBe(1);
  });
});
