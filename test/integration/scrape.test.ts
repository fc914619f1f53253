// The scraper over real HTTP against the in-process simulator: with a batch of 2 and 12 requests
// at once, requests must queue, and the scraped gauges, counters and histograms must say so.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFetcher } from '../../collector/http/fetch-text.ts';
import { startScraper } from '../../collector/scrape/scraper.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import type { SimKind } from '../../collector/sim/types.ts';
import type { ServerPhaseMetrics } from '../../collector/store/schema/index.ts';

// Batch of 2 and shorter steps than the real profiles, so 12 requests queue for about a second.
const OVERRIDES = { maxBatch: 2, decodeStepBaseMs: 5 };
const REQUESTS = 12;

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

let sim: Simulation | undefined;
let agent: Agent;
beforeEach(() => {
  agent = new Agent();
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await agent.close();
});

/** Starts one simulated engine and a scraper on it (50 ms), waiting for the baseline scrape. */
async function scrapeEngine(kind: SimKind) {
  sim = await startSimulation([{ kind, port: 0, profile: kind, label: kind }], { seed: 1, overrides: OVERRIDES });
  const engine = sim.engines[0]!;
  const origin = performance.now();
  const fetch = makeFetcher(agent, new URL(engine.url), {}, 5_000);
  let fetched = 0;
  const scraper = startScraper({
    kind,
    fetcher: async (call) => {
      const answer = await fetch(call);
      fetched += 1;
      return answer;
    },
    intervalMs: 50,
    now: () => performance.now(),
    origin,
  });
  await scraper.ready;
  return { engine, scraper, fetched: () => fetched };
}

/** Resolves once `done()` holds, checking every few ms: a signal to wait for, not a guessed delay. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Fires REQUESTS non-streaming chat completions at once; returns the usage totals. */
async function fireRequests(url: string, model: string): Promise<Usage & { finishReasons: Record<string, number> }> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const response = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: `Tell me about queue number ${i}.` }], max_tokens: 32, stream: false }),
      });
      expect(response.statusCode).toBe(200);
      return (await response.body.json()) as { usage: Usage; choices: { finish_reason: string }[] };
    }),
  );
  const finishReasons: Record<string, number> = {};
  for (const answer of answers) finishReasons[answer.choices[0]!.finish_reason] = (finishReasons[answer.choices[0]!.finish_reason] ?? 0) + 1;
  const usages = answers.map((a) => a.usage);
  return {
    finishReasons,
    prompt_tokens: usages.reduce((sum, u) => sum + u.prompt_tokens, 0),
    completion_tokens: usages.reduce((sum, u) => sum + u.completion_tokens, 0),
  };
}

const values = (result: ServerPhaseMetrics, name: string): number[] => {
  const series = result.series.find((s) => s.name === name);
  expect(series, `series ${name}`).toBeDefined();
  return series!.points.map(([, value]) => value);
};

function expectQueued(result: ServerPhaseMetrics): void {
  expect(result.source).toBe('prometheus');
  expect(result.failures).toBe(0);
  expect(result.scrapes).toBeGreaterThan(5);
  expect(Math.max(...values(result, 'waiting'))).toBeGreaterThan(0);
  expect(Math.max(...values(result, 'running'))).toBe(2);
  // Offsets from the origin, in order.
  const times = result.series[0]!.points.map(([t]) => t);
  expect(times[0]).toBeGreaterThanOrEqual(0);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe('scraping the simulator while requests queue', () => {
  it('vLLM: waiting > 0, running ≤ 2, token counters equal what was served, TTFT and e2e quantiles', async () => {
    const { engine, scraper } = await scrapeEngine('vllm');
    const served = await fireRequests(engine.url, engine.model);
    const result = (await scraper.stop())!;

    expectQueued(result);
    expect(values(result, 'kvCacheUsage').every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(result.deltas['vllm:generation_tokens_total']).toBe(served.completion_tokens);
    expect(result.deltas['vllm:prompt_tokens_total']).toBe(served.prompt_tokens);
    expect(result.deltas['vllm:request_success_total']).toBe(REQUESTS);
    // Labelled with the reason each answer itself gave.
    expect(result.deltas['vllm:request_success_total{finished_reason="stop"}'] ?? 0).toBe(served.finishReasons['stop'] ?? 0);
    expect(result.deltas['vllm:request_success_total{finished_reason="length"}'] ?? 0).toBe(served.finishReasons['length'] ?? 0);
    expect(served.finishReasons['length']).toBeGreaterThan(0);
    for (const name of ['ttft', 'e2e', 'queue']) {
      const q = result.quantiles.find((x) => x.name === name);
      expect(q, name).toBeDefined();
      expect(q!.count, name).toBe(REQUESTS);
      expect(q!.p50, name).not.toBeNull();
      expect(q!.p99!, name).toBeGreaterThanOrEqual(q!.p50!);
    }
    // One inter-token observation per token after the first.
    expect(result.quantiles.find((x) => x.name === 'itl')!.count).toBe(served.completion_tokens - REQUESTS);
  });

  it('TGI: queue and batch gauges, request and token counters, e2e quantiles', async () => {
    const { engine, scraper } = await scrapeEngine('tgi');
    const served = await fireRequests(engine.url, engine.model);
    const result = (await scraper.stop())!;

    expectQueued(result);
    expect(Math.max(...values(result, 'batchSize'))).toBe(2);
    expect(result.deltas['tgi_request_success']).toBe(REQUESTS);
    expect(result.deltas['tgi_request_count']).toBe(REQUESTS);
    expect(result.deltas['tgi_request_generated_tokens_sum']).toBe(served.completion_tokens);
    expect(result.quantiles.map((q) => [q.name, q.count])).toEqual([
      ['queue', REQUESTS],
      ['inference', REQUESTS],
      ['e2e', REQUESTS],
    ]);
  });

  it('llama.cpp: processing and deferred gauges, token counters', async () => {
    const { engine, scraper } = await scrapeEngine('llamacpp');
    const served = await fireRequests(engine.url, engine.model);
    const result = (await scraper.stop())!;

    expectQueued(result);
    expect(result.deltas['llamacpp:tokens_predicted_total']).toBe(served.completion_tokens);
    expect(result.deltas['llamacpp:prompt_tokens_total']).toBe(served.prompt_tokens);
    expect(result.quantiles).toEqual([]);
  });

  it('Ollama: loaded models and VRAM from /api/ps', async () => {
    const { scraper, fetched } = await scrapeEngine('ollama');
    await until(() => fetched() >= 3);
    const result = (await scraper.stop())!;

    expect(result.source).toBe('ollama-ps');
    expect(result.failures).toBe(0);
    expect(result.scrapes).toBeGreaterThanOrEqual(3);
    expect(values(result, 'loadedModels').every((v) => v === 1)).toBe(true);
    expect(values(result, 'vramBytes').every((v) => v > 0)).toBe(true);
  });

  it('an engine without /metrics gives null', async () => {
    // The simulated Ollama answers 404 on /metrics, like any server without the endpoint.
    sim = await startSimulation([{ kind: 'ollama', port: 0, profile: 'ollama', label: 'ollama' }], { seed: 1 });
    const scraper = startScraper({
      kind: 'openai',
      fetcher: makeFetcher(agent, new URL(sim.engines[0]!.url), {}, 5_000),
      intervalMs: 50,
      now: () => performance.now(),
      origin: 0,
    });
    await scraper.ready;
    expect(await scraper.stop()).toBeNull();
  });
});
