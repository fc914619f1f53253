// The per-engine metric maps: what each fixture gives, and the fallbacks for renamed vLLM metrics.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRIC_MAPS, metricMapFor } from '../../../collector/scrape/engine-metrics.ts';
import { parseExposition } from '../../../collector/scrape/parse.ts';
import { createPrometheusPhase } from '../../../collector/scrape/prometheus-phase.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/protocols/', import.meta.url));
const read = (name: string): string => readFileSync(`${FIXTURES}${name}-metrics.prom`, 'utf8');

/** One scrape through the map: gauges as {name: [metric, value]}, quantile names → metric. */
function once(kind: string, text: string) {
  const phase = createPrometheusPhase(kind);
  phase.ingest(parseExposition(text), 0);
  const result = phase.result();
  return {
    gauges: Object.fromEntries(result.series.map((s) => [s.name, [s.metric, s.points[0]![1]]])),
    quantiles: Object.fromEntries(result.quantiles.map((q) => [q.name, q.metric])),
    result,
  };
}

const L = '{engine="0",model_name="m"}';

describe('engine metric maps on the fixtures', () => {
  it('vLLM: running, waiting, KV use from the current names, and every latency histogram', () => {
    const { gauges, quantiles, result } = once('vllm', read('vllm'));
    expect(gauges).toEqual({
      running: ['vllm:num_requests_running', 8],
      waiting: ['vllm:num_requests_waiting', 0],
      kvCacheUsage: ['vllm:kv_cache_usage_perc', 0.01976460899701472],
    });
    expect(quantiles).toEqual({
      ttft: 'vllm:time_to_first_token_seconds',
      itl: 'vllm:inter_token_latency_seconds',
      e2e: 'vllm:e2e_request_latency_seconds',
      queue: 'vllm:request_queue_time_seconds',
      prefill: 'vllm:request_prefill_time_seconds',
      decode: 'vllm:request_decode_time_seconds',
      inference: 'vllm:request_inference_time_seconds',
    });
    // One scrape is the baseline itself: nothing happened yet.
    expect(result.quantiles.every((q) => q.count === 0 && q.p50 === null)).toBe(true);
    expect(result.deltas['vllm:generation_tokens_total']).toBe(0);
    expect(result.deltas['vllm:request_success_total{finished_reason="stop"}']).toBe(0);
  });

  it('TGI: the current batch is both running and batchSize; queue, inference and e2e histograms', () => {
    const { gauges, quantiles, result } = once('tgi', read('tgi'));
    expect(gauges).toEqual({
      running: ['tgi_batch_current_size', 8],
      batchSize: ['tgi_batch_current_size', 8],
      waiting: ['tgi_queue_size', 0],
    });
    expect(quantiles).toEqual({ queue: 'tgi_request_queue_duration', inference: 'tgi_request_inference_duration', e2e: 'tgi_request_duration' });
    expect(Object.keys(result.deltas).sort()).toEqual(
      ['tgi_request_count', 'tgi_request_success', 'tgi_request_input_length_sum', 'tgi_request_generated_tokens_sum'].sort(),
    );
  });

  it('llama.cpp: slots processing and deferred tasks, no KV gauge in new builds, no histograms', () => {
    const { gauges, result } = once('llamacpp', read('llamacpp'));
    expect(gauges).toEqual({ running: ['llamacpp:requests_processing', 4], waiting: ['llamacpp:requests_deferred', 2] });
    expect(result.quantiles).toEqual([]);
    expect(Object.keys(result.deltas)).not.toContain('llamacpp:n_tokens_max');
    const old = once('llamacpp', 'llamacpp:requests_processing 1\nllamacpp:requests_deferred 0\nllamacpp:kv_cache_usage_ratio 0.25\n');
    expect(old.gauges['kvCacheUsage']).toEqual(['llamacpp:kv_cache_usage_ratio', 0.25]);
  });
});

describe('vLLM fallbacks for renamed metrics', () => {
  const hist = (name: string) => [`${name}_bucket{engine="0",le="0.1",model_name="m"} 0`, `${name}_bucket{engine="0",le="+Inf",model_name="m"} 0`];

  it('uses gpu_cache_usage_perc and time_per_output_token_seconds when only the old names exist (≤0.8)', () => {
    const text = [`vllm:num_requests_running${L} 1`, `vllm:gpu_cache_usage_perc${L} 0.5`, ...hist('vllm:time_per_output_token_seconds'), `vllm:gpu_prefix_cache_hits_total${L} 7`].join('\n');
    const { gauges, quantiles, result } = once('vllm', text);
    expect(gauges['kvCacheUsage']).toEqual(['vllm:gpu_cache_usage_perc', 0.5]);
    expect(quantiles['itl']).toBe('vllm:time_per_output_token_seconds');
    expect(result.deltas).toHaveProperty(['vllm:gpu_prefix_cache_hits_total']);
  });

  it('prefers the new names when both are exported (0.10.x)', () => {
    const text = [
      `vllm:gpu_cache_usage_perc${L} 0.5`,
      `vllm:kv_cache_usage_perc${L} 0.25`,
      ...hist('vllm:time_per_output_token_seconds'),
      ...hist('vllm:inter_token_latency_seconds'),
      `vllm:gpu_prefix_cache_hits_total${L} 7`,
      `vllm:prefix_cache_hits_total${L} 7`,
    ].join('\n');
    const { gauges, quantiles, result } = once('vllm', text);
    expect(gauges['kvCacheUsage']).toEqual(['vllm:kv_cache_usage_perc', 0.25]);
    expect(quantiles['itl']).toBe('vllm:inter_token_latency_seconds');
    expect(Object.keys(result.deltas)).toEqual(['vllm:prefix_cache_hits_total']);
  });

  it('adds data-parallel ranks for counts and takes the fullest rank for KV use', () => {
    const text = [
      'vllm:num_requests_running{engine="0",model_name="m"} 3',
      'vllm:num_requests_running{engine="1",model_name="m"} 4',
      'vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.2',
      'vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.7',
    ].join('\n');
    expect(once('vllm', text).gauges).toEqual({ running: ['vllm:num_requests_running', 7], kvCacheUsage: ['vllm:kv_cache_usage_perc', 0.7] });
  });
});

describe('counter delta keys', () => {
  const keys = (kind: string, text: string) => Object.keys(once(kind, text).result.deltas);

  it('name label sets by what tells them apart, never by the server identity labels alone', () => {
    expect(keys('vllm', `vllm:generation_tokens_total${L} 5`)).toEqual(['vllm:generation_tokens_total']);
    expect(keys('vllm', 'vllm:generation_tokens_total{engine="0",model_name="m"} 5\nvllm:generation_tokens_total{engine="1",model_name="m"} 6\n')).toEqual([
      'vllm:generation_tokens_total',
      'vllm:generation_tokens_total{engine="0"}',
      'vllm:generation_tokens_total{engine="1"}',
    ]);
    // One label set only (TGI shows a failure reason once it happened): its labels still name it.
    expect(keys('tgi', 'tgi_request_failure{err="overloaded"} 3\n')).toEqual(['tgi_request_failure', 'tgi_request_failure{err="overloaded"}']);
  });
});

describe('metricMapFor', () => {
  it('maps the kinds it knows and recognises an openai engine by its metric names', () => {
    expect(metricMapFor('vllm', [])).toBe(METRIC_MAPS.vllm);
    expect(metricMapFor('openai', ['process_cpu_seconds_total', 'vllm:num_requests_running'])).toBe(METRIC_MAPS.vllm);
    expect(metricMapFor('openai', ['tgi_queue_size'])).toBe(METRIC_MAPS.tgi);
    expect(metricMapFor('openai', ['llamacpp:requests_processing'])).toBe(METRIC_MAPS.llamacpp);
    expect(metricMapFor('openai', ['sglang:num_running_reqs'])).toBeNull();
  });
});
