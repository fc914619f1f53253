// TGI's /metrics (3.x router) driven by the simulated scheduler, per ENGINE-PROTOCOLS.md §3.5 and
// tgi-metrics.prom: counters without _total, no model label, durations in seconds.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SchedulerObserver } from '../types.ts';
import type { EngineMetrics, EngineMetricsOptions } from './engine-metrics.ts';

// TGI's launcher defaults, as in the fixture: --max-input-tokens 4095 --max-total-tokens 4096.
const MAX_INPUT_TOKENS = 4095;
const MAX_TOTAL_TOKENS = 4096;

// metrics-exporter-prometheus buckets, built the way TGI builds them so the bounds print the same
// (repeated multiplication: 0.00015000000000000001 …).
function geometric(start: number, factor: number, count: number): number[] {
  const bounds: number[] = [];
  let bound = start;
  for (let k = 0; k < count; k += 1) {
    bound *= factor;
    bounds.push(bound);
  }
  return bounds;
}
function linear(step: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => step * (k + 1));
}
const DURATION_BUCKETS_S = geometric(0.0001, 1.5, 35);
const INPUT_LENGTH_BUCKETS = linear(MAX_INPUT_TOKENS / 100, 100);
const GENERATED_TOKENS_BUCKETS = linear(MAX_TOTAL_TOKENS / 100, 100);
const BATCH_SIZE_BUCKETS = linear(1, 1024);

export function createTgiMetrics(options: EngineMetricsOptions): EngineMetrics {
  const registry = new Registry();
  const registers = [registry];
  const snapshot = options.scheduler;

  const requestCount = new Counter({ name: 'tgi_request_count', help: 'Total number of requests', registers });
  const requestSuccess = new Counter({ name: 'tgi_request_success', help: 'Number of successful requests', registers });

  new Gauge({
    name: 'tgi_queue_size',
    help: 'Current queue size',
    registers,
    collect() {
      this.set(snapshot().waiting);
    },
  });
  new Gauge({
    name: 'tgi_batch_current_size',
    help: 'Current batch size',
    registers,
    collect() {
      this.set(snapshot().running);
    },
  });
  new Gauge({
    name: 'tgi_batch_current_max_tokens',
    help: 'Maximum tokens for the current batch',
    registers,
    collect() {
      this.set(snapshot().kvUsedTokens);
    },
  });
  // TGI registers this one without a description; prom-client requires a HELP text.
  new Gauge({
    name: 'tgi_batch_max_total_tokens',
    help: 'KV token budget',
    registers,
    collect() {
      this.set(snapshot().kvCapacityTokens);
    },
  });

  const histogram = (name: string, help: string, buckets: number[]) => new Histogram({ name, help, buckets, registers });
  const requestDuration = histogram('tgi_request_duration', 'Request duration', DURATION_BUCKETS_S);
  const queueDuration = histogram('tgi_request_queue_duration', 'Request queue duration', DURATION_BUCKETS_S);
  const inferenceDuration = histogram('tgi_request_inference_duration', 'Request inference duration', DURATION_BUCKETS_S);
  const meanTimePerToken = histogram(
    'tgi_request_mean_time_per_token_duration',
    'Mean time per token per request',
    DURATION_BUCKETS_S,
  );
  const inputLength = histogram('tgi_request_input_length', 'Input token length per request', INPUT_LENGTH_BUCKETS);
  const generatedTokens = histogram(
    'tgi_request_generated_tokens',
    'Generated tokens per request',
    GENERATED_TOKENS_BUCKETS,
  );
  const batchNextSize = histogram('tgi_batch_next_size', 'Batch size of the next batch', BATCH_SIZE_BUCKETS);

  // Jobs admitted since the last step ended: TGI observes the size of each newly admitted batch.
  let admittedThisStep = 0;

  const observer: SchedulerObserver = {
    onQueued(job) {
      // Counted on arrival, as TGI does after validation, so running requests are included.
      requestCount.inc();
      inputLength.observe(job.promptTokens);
    },
    onAdmitted() {
      admittedThisStep += 1;
    },
    onStep() {
      if (admittedThisStep > 0) batchNextSize.observe(admittedThisStep);
      admittedThisStep = 0;
    },
    onFinished(job, timings) {
      const inferenceS = (timings.prefillMs + timings.decodeMs) / 1000;
      requestSuccess.inc();
      requestDuration.observe(timings.e2eMs / 1000);
      queueDuration.observe(timings.queueMs / 1000);
      inferenceDuration.observe(inferenceS);
      // TGI divides the whole inference time, prefill included, by the tokens generated.
      meanTimePerToken.observe(inferenceS / job.outputTokens);
      generatedTokens.observe(job.outputTokens);
    },
  };

  return {
    observer,
    render: () => registry.metrics(),
    // axum's String response on the router's /metrics.
    contentType: 'text/plain; charset=utf-8',
  };
}
