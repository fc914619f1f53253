// vLLM's /metrics (V1 engine, 0.12-era names) driven by the simulated scheduler. Names, types,
// units, labels and bucket bounds follow ENGINE-PROTOCOLS.md §2.5 and vllm-metrics.prom.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SchedulerObserver } from '../types.ts';
import type { EngineMetrics, EngineMetricsOptions } from './engine-metrics.ts';

// vLLM's bucket bounds, as in the fixture.
const TTFT_BUCKETS_S = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];
const ITL_BUCKETS_S = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const REQUEST_BUCKETS_S = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];
// 1-2-5 series up to max_model_len (8192 in the fixture).
const TOKEN_COUNT_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const ITERATION_TOKEN_BUCKETS = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

// Every series vLLM exports for request_success, zero included.
const FINISHED_REASONS = ['stop', 'length', 'abort', 'error'] as const;

interface JobState {
  queuedAt: number;
  lastTokenAt: number;
}

export function createVllmMetrics(options: EngineMetricsOptions): EngineMetrics {
  const registry = new Registry();
  // Alphabetical, as prometheus_client sorts them.
  registry.setDefaultLabels({ engine: '0', model_name: options.model });
  const registers = [registry];
  const snapshot = options.scheduler;

  new Gauge({
    name: 'vllm:num_requests_running',
    help: 'Number of requests in model execution batches.',
    registers,
    collect() {
      this.set(snapshot().running);
    },
  });
  new Gauge({
    name: 'vllm:num_requests_waiting',
    help: 'Number of requests waiting to be processed.',
    registers,
    collect() {
      this.set(snapshot().waiting);
    },
  });
  new Gauge({
    name: 'vllm:kv_cache_usage_perc',
    help: 'KV-cache usage. 1 means 100 percent usage.',
    registers,
    collect() {
      const { kvUsedTokens, kvCapacityTokens } = snapshot();
      // A job larger than the whole cache runs alone and may over-reserve; vLLM never shows > 1.
      this.set(Math.min(1, kvUsedTokens / kvCapacityTokens));
    },
  });
  // Never incremented: the simulator reserves KV up front, so nothing is preempted.
  new Counter({
    name: 'vllm:num_preemptions_total',
    help: 'Cumulative number of preemption from the engine.',
    registers,
  });
  const promptTokens = new Counter({
    name: 'vllm:prompt_tokens_total',
    help: 'Number of prefill tokens processed.',
    registers,
  });
  const generationTokens = new Counter({
    name: 'vllm:generation_tokens_total',
    help: 'Number of generation tokens processed.',
    registers,
  });
  const requestSuccess = new Counter({
    name: 'vllm:request_success_total',
    help: 'Count of successfully processed requests.',
    labelNames: ['finished_reason'],
    registers,
  });
  for (const reason of FINISHED_REASONS) requestSuccess.inc({ finished_reason: reason }, 0);

  const histogram = (name: string, help: string, buckets: number[]) => new Histogram({ name, help, buckets, registers });
  const requestPromptTokens = histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', TOKEN_COUNT_BUCKETS);
  const requestGenerationTokens = histogram(
    'vllm:request_generation_tokens',
    'Number of generation tokens processed.',
    TOKEN_COUNT_BUCKETS,
  );
  // A histogram despite the _total suffix, as in vLLM.
  const iterationTokens = histogram(
    'vllm:iteration_tokens_total',
    'Histogram of number of tokens per engine_step.',
    ITERATION_TOKEN_BUCKETS,
  );
  const ttft = histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', TTFT_BUCKETS_S);
  const itl = histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', ITL_BUCKETS_S);
  const tpot = histogram(
    'vllm:request_time_per_output_token_seconds',
    'Histogram of time_per_output_token_seconds per request.',
    ITL_BUCKETS_S,
  );
  const e2e = histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', REQUEST_BUCKETS_S);
  const queueTime = histogram(
    'vllm:request_queue_time_seconds',
    'Histogram of time spent in WAITING phase for request.',
    REQUEST_BUCKETS_S,
  );
  const inferenceTime = histogram(
    'vllm:request_inference_time_seconds',
    'Histogram of time spent in RUNNING phase for request.',
    REQUEST_BUCKETS_S,
  );
  const prefillTime = histogram(
    'vllm:request_prefill_time_seconds',
    'Histogram of time spent in PREFILL phase for request.',
    REQUEST_BUCKETS_S,
  );
  const decodeTime = histogram(
    'vllm:request_decode_time_seconds',
    'Histogram of time spent in DECODE phase for request.',
    REQUEST_BUCKETS_S,
  );

  const jobs = new Map<string, JobState>();

  const observer: SchedulerObserver = {
    onQueued(job, at) {
      jobs.set(job.id, { queuedAt: at, lastTokenAt: at });
    },
    onToken(job, index, at) {
      const state = jobs.get(job.id);
      if (state === undefined) return;
      generationTokens.inc();
      // Like vLLM, TTFT, ITL and prompt tokens are counted as they happen, running requests included.
      if (index === 0) {
        promptTokens.inc(job.promptTokens);
        ttft.observe((at - state.queuedAt) / 1000);
      } else {
        itl.observe((at - state.lastTokenAt) / 1000);
      }
      state.lastTokenAt = at;
    },
    onFinished(job, timings) {
      jobs.delete(job.id);
      // The job carries the planned reason; 'stop' when a caller did not say.
      requestSuccess.inc({ finished_reason: job.finishReason ?? 'stop' });
      requestPromptTokens.observe(job.promptTokens);
      requestGenerationTokens.observe(job.outputTokens);
      e2e.observe(timings.e2eMs / 1000);
      queueTime.observe(timings.queueMs / 1000);
      prefillTime.observe(timings.prefillMs / 1000);
      decodeTime.observe(timings.decodeMs / 1000);
      inferenceTime.observe((timings.prefillMs + timings.decodeMs) / 1000);
      if (job.outputTokens > 1) tpot.observe(timings.decodeMs / (job.outputTokens - 1) / 1000);
    },
    onCancelled(job) {
      jobs.delete(job.id);
      requestSuccess.inc({ finished_reason: 'abort' });
    },
    onStep(step) {
      // Tokens scheduled in the step: prompt tokens prefilled plus one per decoding sequence.
      iterationTokens.observe(step.prefillTokens + step.decodeTokens);
    },
  };

  return {
    observer,
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
