// The shape every simulated engine's /metrics exporter shares.
import type { LatencyProfile, SchedulerObserver, SchedulerSnapshot } from '../types.ts';

export interface EngineMetricsOptions {
  /** The served model name (vLLM's model_name label). */
  model: string;
  profile: LatencyProfile;
  /** Read at render time for the gauges (running, waiting, KV use). */
  scheduler: () => SchedulerSnapshot;
}

/** One simulated engine's /metrics: fed by scheduler events, rendered on each scrape. */
export interface EngineMetrics {
  observer: SchedulerObserver;
  /** The exposition text, gauges read from the scheduler at this moment. */
  render(): Promise<string>;
  /** The Content-Type header the real engine sends with it. */
  contentType: string;
}
