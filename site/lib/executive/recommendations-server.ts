// Rules over what the engine itself reported (its /metrics, scraped during each phase): requests
// waiting in the engine's queue, and a KV cache with no room left.
import type { EngineRun, PhaseSummary } from '../../../collector/store/schema/index.ts';
import { ms, percent } from '../format.ts';
import { atLoad, type PhaseHit, type Recommendation, worstHit } from './recommendations-shape.ts';

/**
 * Queueing "dominates" TTFT when the median request spent at least half its wait for the first
 * token in the engine's queue rather than in prefill: more compute per request would not help,
 * more slots would.
 */
export const QUEUE_DOMINATES_SHARE = 0.5;
/** Below this much median queueing nobody notices it, whatever its share of a fast TTFT. */
export const QUEUE_NOTICEABLE_MS = 50;
/**
 * A KV cache this full has no room for one more long prompt: vLLM preempts (recomputes) running
 * sequences and other engines hold new requests back. 90 % leaves a margin for a burst.
 */
export const KV_CACHE_NEAR_FULL = 0.9;

// Maps, not object lookups, keyed by the engine kind the run names.
const BATCH_LIMIT = new Map(Object.entries({
  vllm: 'vLLM --max-num-seqs',
  tgi: 'TGI --max-batch-total-tokens or --max-batch-size',
  llamacpp: 'llama.cpp --parallel',
  ollama: 'OLLAMA_NUM_PARALLEL',
}));

const CONTEXT_LIMIT = new Map(Object.entries({
  vllm: 'vLLM --max-model-len; more memory: --gpu-memory-utilization, larger GPUs or tensor parallelism',
  llamacpp: 'llama.cpp --ctx-size per slot, or fewer --parallel slots',
}));

function queueHit(phase: PhaseSummary): PhaseHit | null {
  const queue = phase.server?.quantiles.find((q) => q.name === 'queue');
  const ttft = phase.ttftMs.p50;
  if (queue === undefined || queue.count === 0 || queue.p50 === null || ttft === null || ttft <= 0) return null;
  const share = queue.p50 / ttft;
  if (share < QUEUE_DOMINATES_SHARE || queue.p50 < QUEUE_NOTICEABLE_MS) return null;
  // Queue time is part of TTFT, so a larger queue median means the histogram's buckets are too
  // coarse to tell (vLLM's first queue bucket ends at 300 ms: every short wait reads as 150 ms).
  if (share > 1) return null;
  // An engine that never reported a waiting request did not queue, whatever its histogram says.
  const waiting = phase.server?.series.find((s) => s.name === 'waiting');
  if (waiting !== undefined && waiting.points.length > 0 && !waiting.points.some(([, value]) => value > 0)) return null;
  return {
    phase: phase.name,
    score: share,
    evidence: `queue time is ${percent(share)} of TTFT p50 (${ms(queue.p50)} of ${ms(ttft)} ms; queue from ${queue.metric}) ${atLoad(phase)}`,
  };
}

function kvCacheHit(phase: PhaseSummary): PhaseHit | null {
  const series = phase.server?.series.find((s) => s.name === 'kvCacheUsage');
  // A fraction outside 0..1 is not a cache usage this rule understands: better no finding than a wrong one.
  const values = (series?.points ?? []).map(([, value]) => value).filter((value) => Number.isFinite(value) && value >= 0 && value <= 1);
  if (series === undefined || values.length === 0) return null;
  const peak = Math.max(...values);
  if (peak < KV_CACHE_NEAR_FULL) return null;
  const above = values.filter((value) => value >= KV_CACHE_NEAR_FULL).length;
  const preemptions = phase.server?.deltas['vllm:num_preemptions_total'] ?? 0;
  return {
    phase: phase.name,
    score: peak,
    evidence:
      `KV cache usage peaked at ${percent(peak)} (${series.metric}), at or above ${percent(KV_CACHE_NEAR_FULL)} in ${above} of ${values.length} scrapes ${atLoad(phase)}`
      + (preemptions > 0 ? `, and the engine preempted ${preemptions} requests` : ''),
  };
}

export function serverRecommendations(engine: EngineRun): Recommendation[] {
  const out: Recommendation[] = [];
  const queue = worstHit(engine.phases.flatMap((phase) => queueHit(phase) ?? []));
  if (queue !== null) {
    out.push({
      engine: engine.label,
      phase: queue.phase,
      severity: 'warning',
      finding: `Requests to ${engine.label} spend most of their time to first token waiting in the engine's queue`,
      evidence: queue.evidence,
      action: `Add replicas, or raise the engine's batch limit${BATCH_LIMIT.has(engine.kind) ? ` (${BATCH_LIMIT.get(engine.kind)})` : ''} if memory allows: requests are waiting for a batch slot, not for compute.`,
    });
  }
  const kv = worstHit(engine.phases.flatMap((phase) => kvCacheHit(phase) ?? []));
  if (kv !== null) {
    out.push({
      engine: engine.label,
      phase: kv.phase,
      severity: 'warning',
      finding: `${engine.label}'s KV cache was nearly full`,
      evidence: kv.evidence,
      action: `Lower the maximum context length or give the engine more memory${CONTEXT_LIMIT.has(engine.kind) ? ` (${CONTEXT_LIMIT.get(engine.kind)})` : ''}: with no room in the cache, requests are preempted or held back.`,
    });
  }
  return out;
}
