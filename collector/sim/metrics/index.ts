// One /metrics exporter per simulated engine family, keyed by engine kind.
import type { SimKind } from '../types.ts';
import type { EngineMetrics, EngineMetricsOptions } from './engine-metrics.ts';
import { createLlamacppMetrics } from './llamacpp.ts';
import { createTgiMetrics } from './tgi.ts';
import { createVllmMetrics } from './vllm.ts';

export type { EngineMetrics, EngineMetricsOptions } from './engine-metrics.ts';

/** The exporter for `kind`, or null for Ollama, which has no /metrics. Each call has its own registry. */
export function createEngineMetrics(kind: SimKind, options: EngineMetricsOptions): EngineMetrics | null {
  switch (kind) {
    case 'vllm':
      return createVllmMetrics(options);
    case 'tgi':
      return createTgiMetrics(options);
    case 'llamacpp':
      return createLlamacppMetrics(options);
    case 'ollama':
      return null;
  }
}
