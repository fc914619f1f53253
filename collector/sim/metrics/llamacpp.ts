// llama-server's /metrics (--metrics) driven by the simulated scheduler, per ENGINE-PROTOCOLS.md
// §5.5 and llamacpp-metrics.prom: no labels, cumulative counters plus per-scrape throughput gauges.
import { Counter, Gauge, Registry } from 'prom-client';
import type { SchedulerObserver } from '../types.ts';
import type { EngineMetrics, EngineMetricsOptions } from './engine-metrics.ts';

export function createLlamacppMetrics(options: EngineMetricsOptions): EngineMetrics {
  const registry = new Registry();
  const registers = [registry];
  const snapshot = options.scheduler;

  // Lifetime totals, and the "bucket" totals llama.cpp resets on every scrape.
  let decodeCalls = 0;
  let busySlotsSum = 0;
  let maxStepTokens = 0;
  let bucketPromptTokens = 0;
  let bucketPromptMs = 0;
  let bucketPredictedTokens = 0;
  let bucketPredictedMs = 0;

  const promptTokens = new Counter({
    name: 'llamacpp:prompt_tokens_total',
    help: 'Number of prompt tokens processed.',
    registers,
  });
  const promptSeconds = new Counter({ name: 'llamacpp:prompt_seconds_total', help: 'Prompt process time', registers });
  const predictedTokens = new Counter({
    name: 'llamacpp:tokens_predicted_total',
    help: 'Number of generation tokens processed.',
    registers,
  });
  const predictedSeconds = new Counter({
    name: 'llamacpp:tokens_predicted_seconds_total',
    help: 'Predict process time',
    registers,
  });
  const decodeTotal = new Counter({
    name: 'llamacpp:n_decode_total',
    help: 'Total number of llama_decode() calls',
    registers,
  });
  // llama.cpp types these two as counters although one is a high-water mark and one an average:
  // they are recomputed at each scrape.
  new Counter({
    name: 'llamacpp:n_tokens_max',
    help: 'Largest observed n_tokens.',
    registers,
    collect() {
      this.reset();
      this.inc(maxStepTokens);
    },
  });
  new Counter({
    name: 'llamacpp:n_busy_slots_per_decode',
    help: 'Average number of busy slots per llama_decode() call',
    registers,
    collect() {
      this.reset();
      this.inc(decodeCalls > 0 ? busySlotsSum / decodeCalls : 0);
    },
  });
  new Gauge({
    name: 'llamacpp:prompt_tokens_seconds',
    help: 'Average prompt throughput in tokens/s.',
    registers,
    collect() {
      this.set(bucketPromptMs > 0 ? (1000 * bucketPromptTokens) / bucketPromptMs : 0);
      bucketPromptTokens = 0;
      bucketPromptMs = 0;
    },
  });
  new Gauge({
    name: 'llamacpp:predicted_tokens_seconds',
    help: 'Average generation throughput in tokens/s.',
    registers,
    collect() {
      this.set(bucketPredictedMs > 0 ? (1000 * bucketPredictedTokens) / bucketPredictedMs : 0);
      bucketPredictedTokens = 0;
      bucketPredictedMs = 0;
    },
  });
  new Gauge({
    name: 'llamacpp:requests_processing',
    help: 'Number of requests processing.',
    registers,
    collect() {
      this.set(snapshot().running);
    },
  });
  new Gauge({
    name: 'llamacpp:requests_deferred',
    help: 'Number of requests deferred.',
    registers,
    collect() {
      this.set(snapshot().waiting);
    },
  });

  const admittedAt = new Map<string, number>();

  const observer: SchedulerObserver = {
    onAdmitted(job, _queueMs, at) {
      admittedAt.set(job.id, at);
    },
    onToken(job, index, at) {
      if (index !== 0) return;
      // A slot reports its prompt when prompt processing ends, i.e. with the first token.
      const promptMs = at - (admittedAt.get(job.id) ?? at);
      promptTokens.inc(job.promptTokens);
      promptSeconds.inc(promptMs / 1000);
      bucketPromptTokens += job.promptTokens;
      bucketPromptMs += promptMs;
    },
    onFinished(job, timings) {
      // Generation is reported when the slot finishes its answer.
      admittedAt.delete(job.id);
      predictedTokens.inc(job.outputTokens);
      predictedSeconds.inc(timings.decodeMs / 1000);
      bucketPredictedTokens += job.outputTokens;
      bucketPredictedMs += timings.decodeMs;
    },
    onCancelled(job) {
      admittedAt.delete(job.id);
    },
    onStep(step) {
      decodeCalls += 1;
      busySlotsSum += step.batchSize;
      maxStepTokens = Math.max(maxStepTokens, step.prefillTokens + step.decodeTokens);
      decodeTotal.inc();
    },
  };

  return {
    observer,
    render: () => registry.metrics(),
    contentType: 'text/plain; version=0.0.4',
  };
}
