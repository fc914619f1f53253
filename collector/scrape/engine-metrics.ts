// Which engine metrics the scraper reads, per engine kind (ENGINE-PROTOCOLS.md §2.5, §3.5, §5.5).
// Every entry lists candidate names, newest first: the first one the engine exports is used, so
// one map covers the versions that renamed a metric (vLLM 0.9–0.12).

/** Canonical gauge names shared by every engine. */
export type GaugeName = 'running' | 'waiting' | 'kvCacheUsage' | 'batchSize';
/** Canonical server-side latency names shared by every engine. */
export type QuantileName = 'ttft' | 'itl' | 'e2e' | 'queue' | 'prefill' | 'decode' | 'inference';

export interface GaugeSpec {
  name: GaugeName;
  candidates: readonly string[];
  /**
   * How several label sets combine (vLLM data-parallel ranks each export one): counts add up;
   * a usage ratio takes the fullest rank, since that one is the first to preempt.
   */
  combine: 'sum' | 'max';
}

export interface CounterSpec {
  /** Counter sample names (or a histogram's `_sum`/`_count`, which only grow too). */
  candidates: readonly string[];
}

export interface HistogramSpec {
  name: QuantileName;
  /** Histogram family names (samples are `<family>_bucket`). */
  candidates: readonly string[];
  /** Factor from the histogram's unit to ms. */
  toMs: number;
}

export interface EngineMetricMap {
  /** The family the map was written for; also how an `openai` engine's /metrics is recognised. */
  family: 'vllm' | 'tgi' | 'llamacpp';
  /** A sample-name prefix only this family uses. */
  prefix: string;
  gauges: readonly GaugeSpec[];
  counters: readonly CounterSpec[];
  histograms: readonly HistogramSpec[];
}

const S = 1000;

const VLLM: EngineMetricMap = {
  family: 'vllm',
  prefix: 'vllm:',
  gauges: [
    { name: 'running', candidates: ['vllm:num_requests_running'], combine: 'sum' },
    { name: 'waiting', candidates: ['vllm:num_requests_waiting'], combine: 'sum' },
    // Renamed in 0.9; the old name was exported alongside until 0.11.
    { name: 'kvCacheUsage', candidates: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'], combine: 'max' },
  ],
  counters: [
    { candidates: ['vllm:prompt_tokens_total'] },
    { candidates: ['vllm:generation_tokens_total'] },
    { candidates: ['vllm:request_success_total'] },
    { candidates: ['vllm:num_preemptions_total'] },
    { candidates: ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total'] },
    { candidates: ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total'] },
  ],
  histograms: [
    { name: 'ttft', candidates: ['vllm:time_to_first_token_seconds'], toMs: S },
    // ~0.10.2 added the new name beside the old one (same samples); the old one is hidden from 0.12.
    { name: 'itl', candidates: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'], toMs: S },
    { name: 'e2e', candidates: ['vllm:e2e_request_latency_seconds'], toMs: S },
    { name: 'queue', candidates: ['vllm:request_queue_time_seconds'], toMs: S },
    { name: 'prefill', candidates: ['vllm:request_prefill_time_seconds'], toMs: S },
    { name: 'decode', candidates: ['vllm:request_decode_time_seconds'], toMs: S },
    { name: 'inference', candidates: ['vllm:request_inference_time_seconds'], toMs: S },
  ],
};

const TGI: EngineMetricMap = {
  family: 'tgi',
  prefix: 'tgi_',
  gauges: [
    // TGI's running requests are its current batch.
    { name: 'running', candidates: ['tgi_batch_current_size'], combine: 'sum' },
    { name: 'batchSize', candidates: ['tgi_batch_current_size'], combine: 'sum' },
    { name: 'waiting', candidates: ['tgi_queue_size'], combine: 'sum' },
  ],
  counters: [
    // TGI counters carry no _total suffix.
    { candidates: ['tgi_request_count'] },
    { candidates: ['tgi_request_success'] },
    { candidates: ['tgi_request_failure'] },
    // No token counters: the token-count histograms' sums are the totals.
    { candidates: ['tgi_request_input_length_sum'] },
    { candidates: ['tgi_request_generated_tokens_sum'] },
  ],
  histograms: [
    { name: 'queue', candidates: ['tgi_request_queue_duration'], toMs: S },
    { name: 'inference', candidates: ['tgi_request_inference_duration'], toMs: S },
    { name: 'e2e', candidates: ['tgi_request_duration'], toMs: S },
  ],
};

const LLAMACPP: EngineMetricMap = {
  family: 'llamacpp',
  prefix: 'llamacpp:',
  gauges: [
    { name: 'running', candidates: ['llamacpp:requests_processing'], combine: 'sum' },
    { name: 'waiting', candidates: ['llamacpp:requests_deferred'], combine: 'sum' },
    // Only builds before ~mid-2025 export it.
    { name: 'kvCacheUsage', candidates: ['llamacpp:kv_cache_usage_ratio'], combine: 'max' },
  ],
  // n_tokens_max and n_busy_slots_per_decode are typed counter but are a maximum and an average: no deltas.
  counters: [
    { candidates: ['llamacpp:prompt_tokens_total'] },
    { candidates: ['llamacpp:prompt_seconds_total'] },
    { candidates: ['llamacpp:tokens_predicted_total'] },
    { candidates: ['llamacpp:tokens_predicted_seconds_total'] },
    { candidates: ['llamacpp:n_decode_total'] },
  ],
  histograms: [],
};

export const METRIC_MAPS: Readonly<Record<EngineMetricMap['family'], EngineMetricMap>> = {
  vllm: VLLM,
  tgi: TGI,
  llamacpp: LLAMACPP,
};

/**
 * The map for an engine kind. Any other kind (`openai`: some OpenAI-compatible server) is
 * recognised from the sample names of its first successful scrape, since it is often a vLLM,
 * TGI or llama-server behind a generic name; null when nothing matches.
 */
export function metricMapFor(kind: string, sampleNames: Iterable<string>): EngineMetricMap | null {
  if (Object.hasOwn(METRIC_MAPS, kind)) return METRIC_MAPS[kind as EngineMetricMap['family']];
  const maps = Object.values(METRIC_MAPS);
  for (const name of sampleNames) {
    const found = maps.find((map) => name.startsWith(map.prefix));
    if (found) return found;
  }
  return null;
}
