import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { createEngineMetrics } from '../../../../collector/sim/metrics/index.ts';
import type { EngineMetrics } from '../../../../collector/sim/metrics/index.ts';
import { virtualClock } from '../../../../collector/sim/model/clocks.ts';
import { PROFILES, withOverrides } from '../../../../collector/sim/model/profiles.ts';
import { createRng } from '../../../../collector/sim/model/rng.ts';
import { createScheduler } from '../../../../collector/sim/model/scheduler.ts';
import type { JobTimings, SchedulerObserver, SimKind } from '../../../../collector/sim/types.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/protocols/', import.meta.url));
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

// --- a tiny exposition-format reader --------------------------------------------------------

interface Sample {
  name: string;
  labels: Record<string, string>;
  raw: string;
  value: number;
}
interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const raw = sample[3]!;
    samples.push({ name: sample[1]!, labels, raw, value: raw === '+Inf' ? Infinity : Number(raw) });
  }
  return { types, samples };
}

/** The one sample with this name whose labels include `labels`. */
function value(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples for ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}

/** The `le` bounds of a histogram's buckets, as printed, +Inf last. */
function bucketBounds(exposition: Exposition, histogram: string): string[] {
  const first = exposition.samples.find((s) => s.name === `${histogram}_bucket`);
  const series = exposition.samples.filter(
    (s) =>
      s.name === `${histogram}_bucket` &&
      Object.entries(first?.labels ?? {}).every(([k, v]) => k === 'le' || s.labels[k] === v),
  );
  return series.map((s) => s.labels.le!);
}

const fixture = (kind: SimKind) => parseExposition(readFileSync(`${FIXTURES}${kind}-metrics.prom`, 'utf8'));

// --- a small workload run through a scheduler with the exporter attached ----------------------

function tee(...observers: SchedulerObserver[]): SchedulerObserver {
  return {
    onQueued: (...a) => observers.forEach((o) => o.onQueued?.(...a)),
    onAdmitted: (...a) => observers.forEach((o) => o.onAdmitted?.(...a)),
    onToken: (...a) => observers.forEach((o) => o.onToken?.(...a)),
    onFinished: (...a) => observers.forEach((o) => o.onFinished?.(...a)),
    onCancelled: (...a) => observers.forEach((o) => o.onCancelled?.(...a)),
    onStep: (...a) => observers.forEach((o) => o.onStep?.(...a)),
  };
}

const PROMPTS = [100, 200, 300, 400, 500, 600];
const OUTPUTS = [10, 20, 30, 40, 50, 60];

interface Served {
  metrics: EngineMetrics;
  /** Rendered at 100 ms, with two jobs running and the rest waiting. */
  busy: Exposition;
  /** Rendered once everything has finished. */
  after: Exposition;
  finished: JobTimings[];
  steps: Array<{ batchSize: number; tokens: number }>;
  kvCapacityTokens: number;
}

/**
 * Six jobs on a two-slot engine, all sent at 0 ms; the last one is cancelled while still waiting.
 * Five finish: 1500 prompt and 150 output tokens.
 */
async function serve(kind: SimKind): Promise<Served> {
  const profile = withOverrides(PROFILES[kind], { maxBatch: 2 });
  const clock = virtualClock();
  const finished: JobTimings[] = [];
  const steps: Served['steps'] = [];
  let snapshot = () => scheduler.snapshot();
  const metrics = createEngineMetrics(kind, { model: MODEL, profile, scheduler: () => snapshot() })!;
  const scheduler = createScheduler(profile, {
    clock,
    rng: createRng(1),
    observer: tee(metrics.observer, {
      onFinished: (_job, timings) => finished.push(timings),
      onStep: (step) => steps.push({ batchSize: step.batchSize, tokens: step.prefillTokens + step.decodeTokens }),
    }),
  });
  snapshot = () => scheduler.snapshot();
  PROMPTS.forEach((promptTokens, i) =>
    scheduler.submit({ id: `j${i}`, promptTokens, outputTokens: OUTPUTS[i]!, onToken() {}, onDone() {} }),
  );
  clock.advanceTo(100);
  const busy = parseExposition(await metrics.render());
  scheduler.cancel('j5');
  clock.runUntilIdle();
  const after = parseExposition(await metrics.render());
  return { metrics, busy, after, finished, steps, kvCapacityTokens: profile.kvCapacityTokens };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const FINISHED_PROMPT_TOKENS = sum(PROMPTS.slice(0, 5));
const FINISHED_OUTPUT_TOKENS = sum(OUTPUTS.slice(0, 5));
const BUSY_KV_TOKENS = PROMPTS[0]! + OUTPUTS[0]! + PROMPTS[1]! + OUTPUTS[1]!;

/** Every family we render exists in the engine's reference scrape with the same TYPE. */
function expectTypesLikeFixture(kind: SimKind, rendered: Exposition) {
  const reference = fixture(kind);
  for (const [name, type] of rendered.types) expect(reference.types.get(name), name).toBe(type);
}

describe('simulated metrics exporters', () => {
  it('has none for ollama, which serves no /metrics', () => {
    const scheduler = () => ({ running: 0, waiting: 0, kvUsedTokens: 0, kvCapacityTokens: 1, maxBatch: 1 });
    expect(createEngineMetrics('ollama', { model: MODEL, profile: PROFILES.ollama, scheduler })).toBeNull();
  });

  it('keeps each engine in its own registry', async () => {
    const a = await serve('vllm');
    const b = await serve('vllm');
    expect(value(a.after, 'vllm:generation_tokens_total')).toBe(FINISHED_OUTPUT_TOKENS);
    expect(value(b.after, 'vllm:generation_tokens_total')).toBe(FINISHED_OUTPUT_TOKENS);
  });
});

describe('vLLM exporter', async () => {
  const served = await serve('vllm');
  const { busy, after } = served;

  it('declares every required family with its vLLM type', () => {
    const required: Record<string, string> = {
      'vllm:num_requests_running': 'gauge',
      'vllm:num_requests_waiting': 'gauge',
      'vllm:kv_cache_usage_perc': 'gauge',
      'vllm:prompt_tokens_total': 'counter',
      'vllm:generation_tokens_total': 'counter',
      'vllm:request_success_total': 'counter',
      'vllm:num_preemptions_total': 'counter',
      'vllm:time_to_first_token_seconds': 'histogram',
      'vllm:inter_token_latency_seconds': 'histogram',
      'vllm:e2e_request_latency_seconds': 'histogram',
      'vllm:request_queue_time_seconds': 'histogram',
      'vllm:request_prefill_time_seconds': 'histogram',
      'vllm:request_decode_time_seconds': 'histogram',
      'vllm:request_prompt_tokens': 'histogram',
      'vllm:request_generation_tokens': 'histogram',
      'vllm:iteration_tokens_total': 'histogram',
    };
    for (const [name, type] of Object.entries(required)) expect(after.types.get(name), name).toBe(type);
    expectTypesLikeFixture('vllm', after);
    expect(served.metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('labels every sample with the model name and engine 0', () => {
    for (const sample of after.samples) expect(sample.labels, sample.name).toMatchObject({ model_name: MODEL, engine: '0' });
  });

  it('uses the bucket bounds of the reference scrape', () => {
    const reference = fixture('vllm');
    for (const [name, type] of after.types) {
      if (type !== 'histogram') continue;
      expect(bucketBounds(after, name).length, name).toBeGreaterThan(1);
      expect(bucketBounds(after, name).map(Number), name).toEqual(bucketBounds(reference, name).map(Number));
    }
  });

  it('shows the queue and the KV reservation while jobs wait', () => {
    expect(value(busy, 'vllm:num_requests_running')).toBe(2);
    expect(value(busy, 'vllm:num_requests_waiting')).toBe(4);
    expect(value(busy, 'vllm:kv_cache_usage_perc')).toBeCloseTo(BUSY_KV_TOKENS / served.kvCapacityTokens, 12);
    expect(value(after, 'vllm:num_requests_running')).toBe(0);
    expect(value(after, 'vllm:num_requests_waiting')).toBe(0);
    expect(value(after, 'vllm:kv_cache_usage_perc')).toBe(0);
  });

  it('counts the tokens and requests that were served', () => {
    expect(value(after, 'vllm:prompt_tokens_total')).toBe(FINISHED_PROMPT_TOKENS);
    expect(value(after, 'vllm:generation_tokens_total')).toBe(FINISHED_OUTPUT_TOKENS);
    expect(value(after, 'vllm:request_success_total', { finished_reason: 'stop' })).toBe(5);
    expect(value(after, 'vllm:request_success_total', { finished_reason: 'length' })).toBe(0);
    expect(value(after, 'vllm:request_success_total', { finished_reason: 'abort' })).toBe(1);
    expect(value(after, 'vllm:num_preemptions_total')).toBe(0);
  });

  it('observes one TTFT per first token, one ITL per later token and the phases of each finished request', () => {
    expect(value(after, 'vllm:time_to_first_token_seconds_count')).toBe(5);
    expect(value(after, 'vllm:inter_token_latency_seconds_count')).toBe(FINISHED_OUTPUT_TOKENS - 5);
    for (const name of ['e2e_request_latency', 'request_queue_time', 'request_prefill_time', 'request_decode_time']) {
      expect(value(after, `vllm:${name}_seconds_count`), name).toBe(5);
    }
    const seconds = (pick: (t: JobTimings) => number) => sum(served.finished.map(pick)) / 1000;
    expect(value(after, 'vllm:e2e_request_latency_seconds_sum')).toBeCloseTo(seconds((t) => t.e2eMs), 9);
    expect(value(after, 'vllm:request_queue_time_seconds_sum')).toBeCloseTo(seconds((t) => t.queueMs), 9);
    expect(value(after, 'vllm:request_prefill_time_seconds_sum')).toBeCloseTo(seconds((t) => t.prefillMs), 9);
    expect(value(after, 'vllm:request_decode_time_seconds_sum')).toBeCloseTo(seconds((t) => t.decodeMs), 9);
    // Later requests waited for a slot.
    expect(value(after, 'vllm:request_queue_time_seconds_sum')).toBeGreaterThan(0);
    expect(value(after, 'vllm:request_prompt_tokens_sum')).toBe(FINISHED_PROMPT_TOKENS);
    expect(value(after, 'vllm:request_generation_tokens_sum')).toBe(FINISHED_OUTPUT_TOKENS);
  });

  it('observes the tokens of every engine step', () => {
    expect(value(after, 'vllm:iteration_tokens_total_count')).toBe(served.steps.length);
    expect(value(after, 'vllm:iteration_tokens_total_sum')).toBe(FINISHED_PROMPT_TOKENS + FINISHED_OUTPUT_TOKENS - 5);
    expect(value(after, 'vllm:iteration_tokens_total_bucket', { le: '+Inf' })).toBe(served.steps.length);
  });
});

describe('TGI exporter', async () => {
  const served = await serve('tgi');
  const { busy, after } = served;

  it('declares every required family with its TGI type and no _total suffix', () => {
    const required: Record<string, string> = {
      tgi_request_count: 'counter',
      tgi_request_success: 'counter',
      tgi_queue_size: 'gauge',
      tgi_batch_current_size: 'gauge',
      tgi_batch_current_max_tokens: 'gauge',
      tgi_request_duration: 'histogram',
      tgi_request_queue_duration: 'histogram',
      tgi_request_inference_duration: 'histogram',
      tgi_request_mean_time_per_token_duration: 'histogram',
      tgi_request_input_length: 'histogram',
      tgi_request_generated_tokens: 'histogram',
      tgi_batch_next_size: 'histogram',
    };
    for (const [name, type] of Object.entries(required)) expect(after.types.get(name), name).toBe(type);
    expectTypesLikeFixture('tgi', after);
    expect(after.samples.filter((s) => s.name.endsWith('_total'))).toEqual([]);
    expect(after.samples.filter((s) => Object.keys(s.labels).some((k) => k !== 'le'))).toEqual([]);
    expect(served.metrics.contentType).toBe('text/plain; charset=utf-8');
  });

  it('prints the same bucket bounds as TGI, digit for digit', () => {
    const reference = fixture('tgi');
    for (const [name, type] of after.types) {
      if (type !== 'histogram') continue;
      expect(bucketBounds(after, name).length, name).toBeGreaterThan(1);
      expect(bucketBounds(after, name), name).toEqual(bucketBounds(reference, name));
    }
    expect(bucketBounds(after, 'tgi_request_duration')[0]).toBe('0.00015000000000000001');
    expect(bucketBounds(after, 'tgi_request_duration')).toHaveLength(36);
  });

  it('shows the queue and the running batch while jobs wait', () => {
    expect(value(busy, 'tgi_queue_size')).toBe(4);
    expect(value(busy, 'tgi_batch_current_size')).toBe(2);
    expect(value(busy, 'tgi_batch_current_max_tokens')).toBe(BUSY_KV_TOKENS);
    expect(value(busy, 'tgi_batch_max_total_tokens')).toBe(served.kvCapacityTokens);
    expect(value(after, 'tgi_queue_size')).toBe(0);
    expect(value(after, 'tgi_batch_current_size')).toBe(0);
  });

  it('counts every arrival, every success and the lengths served', () => {
    expect(value(after, 'tgi_request_count')).toBe(6);
    expect(value(after, 'tgi_request_success')).toBe(5);
    expect(value(after, 'tgi_request_input_length_count')).toBe(6);
    expect(value(after, 'tgi_request_input_length_sum')).toBe(sum(PROMPTS));
    expect(value(after, 'tgi_request_generated_tokens_count')).toBe(5);
    expect(value(after, 'tgi_request_generated_tokens_sum')).toBe(FINISHED_OUTPUT_TOKENS);
    // Two admitted at once, then one at a time as slots free up.
    expect(value(after, 'tgi_batch_next_size_sum')).toBe(5);
    expect(value(after, 'tgi_batch_next_size_count')).toBe(4);
  });

  it('observes request durations in seconds, inference including prefill', () => {
    for (const name of ['duration', 'queue_duration', 'inference_duration', 'mean_time_per_token_duration']) {
      expect(value(after, `tgi_request_${name}_count`), name).toBe(5);
    }
    const seconds = (pick: (t: JobTimings) => number) => sum(served.finished.map(pick)) / 1000;
    expect(value(after, 'tgi_request_duration_sum')).toBeCloseTo(seconds((t) => t.e2eMs), 9);
    expect(value(after, 'tgi_request_queue_duration_sum')).toBeCloseTo(seconds((t) => t.queueMs), 9);
    expect(value(after, 'tgi_request_inference_duration_sum')).toBeCloseTo(seconds((t) => t.prefillMs + t.decodeMs), 9);
    expect(value(after, 'tgi_request_mean_time_per_token_duration_sum')).toBeGreaterThan(0);
  });
});

describe('llama.cpp exporter', async () => {
  const served = await serve('llamacpp');
  const { busy, after } = served;

  it('declares every required family with its llama.cpp type and no labels', () => {
    const required: Record<string, string> = {
      'llamacpp:prompt_tokens_total': 'counter',
      'llamacpp:prompt_seconds_total': 'counter',
      'llamacpp:tokens_predicted_total': 'counter',
      'llamacpp:tokens_predicted_seconds_total': 'counter',
      'llamacpp:n_decode_total': 'counter',
      'llamacpp:requests_processing': 'gauge',
      'llamacpp:requests_deferred': 'gauge',
      'llamacpp:prompt_tokens_seconds': 'gauge',
      'llamacpp:predicted_tokens_seconds': 'gauge',
    };
    for (const [name, type] of Object.entries(required)) expect(after.types.get(name), name).toBe(type);
    expectTypesLikeFixture('llamacpp', after);
    for (const sample of after.samples) expect(sample.labels, sample.name).toEqual({});
    expect(served.metrics.contentType).toBe('text/plain; version=0.0.4');
  });

  it('shows busy slots and deferred requests while jobs wait', () => {
    expect(value(busy, 'llamacpp:requests_processing')).toBe(2);
    expect(value(busy, 'llamacpp:requests_deferred')).toBe(4);
    expect(value(after, 'llamacpp:requests_processing')).toBe(0);
    expect(value(after, 'llamacpp:requests_deferred')).toBe(0);
  });

  it('counts prompt and generated tokens with their processing time', () => {
    expect(value(after, 'llamacpp:prompt_tokens_total')).toBe(FINISHED_PROMPT_TOKENS);
    expect(value(after, 'llamacpp:tokens_predicted_total')).toBe(FINISHED_OUTPUT_TOKENS);
    const seconds = (pick: (t: JobTimings) => number) => sum(served.finished.map(pick)) / 1000;
    expect(value(after, 'llamacpp:prompt_seconds_total')).toBeCloseTo(seconds((t) => t.prefillMs), 9);
    expect(value(after, 'llamacpp:tokens_predicted_seconds_total')).toBeCloseTo(seconds((t) => t.decodeMs), 9);
  });

  it('counts decode calls, the busiest batch and the mean busy slots', () => {
    expect(value(after, 'llamacpp:n_decode_total')).toBe(served.steps.length);
    expect(value(after, 'llamacpp:n_tokens_max')).toBe(Math.max(...served.steps.map((s) => s.tokens)));
    expect(value(after, 'llamacpp:n_busy_slots_per_decode')).toBeCloseTo(
      sum(served.steps.map((s) => s.batchSize)) / served.steps.length,
      12,
    );
  });

  it('reports throughput since the previous scrape, then zero on an idle rescrape', async () => {
    // The busy scrape at 100 ms reset the window; jobs finishing afterwards fill it.
    expect(value(after, 'llamacpp:prompt_tokens_seconds')).toBeGreaterThan(0);
    expect(value(after, 'llamacpp:predicted_tokens_seconds')).toBeGreaterThan(0);
    const again = parseExposition(await served.metrics.render());
    expect(value(again, 'llamacpp:prompt_tokens_seconds')).toBe(0);
    expect(value(again, 'llamacpp:predicted_tokens_seconds')).toBe(0);
    expect(value(again, 'llamacpp:tokens_predicted_total')).toBe(FINISHED_OUTPUT_TOKENS);
  });

  it('derives the first window from all the work done so far', async () => {
    const profile = PROFILES.llamacpp;
    const clock = virtualClock();
    let snapshot = () => ({ running: 0, waiting: 0, kvUsedTokens: 0, kvCapacityTokens: 1, maxBatch: 1 });
    const metrics = createEngineMetrics('llamacpp', { model: MODEL, profile, scheduler: () => snapshot() })!;
    const scheduler = createScheduler(profile, { clock, rng: createRng(2), observer: metrics.observer });
    snapshot = () => scheduler.snapshot();
    for (let i = 0; i < 3; i += 1) scheduler.submit({ id: `k${i}`, promptTokens: 700, outputTokens: 40, onToken() {}, onDone() {} });
    clock.runUntilIdle();
    const text = parseExposition(await metrics.render());
    expect(value(text, 'llamacpp:prompt_tokens_seconds')).toBeCloseTo(
      value(text, 'llamacpp:prompt_tokens_total') / value(text, 'llamacpp:prompt_seconds_total'),
      9,
    );
    expect(value(text, 'llamacpp:predicted_tokens_seconds')).toBeCloseTo(
      value(text, 'llamacpp:tokens_predicted_total') / value(text, 'llamacpp:tokens_predicted_seconds_total'),
      9,
    );
  });
});
