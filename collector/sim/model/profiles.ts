// Named latency characters for an ~8B model on one datacenter GPU (H100/A100 class). The numbers
// are plausible, not measured: what matters is that each engine has a recognisable shape under load.
import type { LatencyProfile, SimKind } from '../types.ts';

export type ProfileName = SimKind | 'instant';

// Llama-3-8B in fp16 keeps 128 KiB of KV per token; ~55 GB left after weights ≈ 440k tokens.
const DATACENTER_KV_TOKENS = 440_000;

export const PROFILES: Readonly<Record<ProfileName, LatencyProfile>> = Object.freeze({
  vllm: Object.freeze({
    name: 'vllm',
    description:
      'Wide continuous batching (max_num_seqs 64), fast chunked prefill (2048-token chunks), cheap extra sequences: throughput keeps rising to 64 users, latency grows gently.',
    maxBatch: 64,
    kvCapacityTokens: DATACENTER_KV_TOKENS,
    prefillMsPerToken: 0.08,
    prefillChunkTokens: 2048,
    decodeStepBaseMs: 12,
    decodeStepPerSeqMs: 0.12,
    jitter: 0.03,
  }),
  tgi: Object.freeze({
    name: 'tgi',
    description:
      'Continuous batching up to 32 sequences, slightly slower steps than vLLM, 4096-token prefill chunks; answers 429 overloaded beyond 128 waiting requests.',
    maxBatch: 32,
    kvCapacityTokens: DATACENTER_KV_TOKENS,
    prefillMsPerToken: 0.1,
    prefillChunkTokens: 4096,
    decodeStepBaseMs: 14,
    decodeStepPerSeqMs: 0.25,
    jitter: 0.04,
    maxQueue: 128,
  }),
  ollama: Object.freeze({
    name: 'ollama',
    description:
      'Four parallel slots (OLLAMA_NUM_PARALLEL), slow 512-token prompt batches, costly extra slots: queues as soon as a fifth user arrives; 503 busy beyond 512 waiting.',
    maxBatch: 4,
    // num_ctx 8192 per slot, allocated up front for all four slots.
    kvCapacityTokens: 4 * 8192,
    prefillMsPerToken: 0.3,
    prefillChunkTokens: 512,
    decodeStepBaseMs: 16,
    decodeStepPerSeqMs: 2.5,
    jitter: 0.05,
    maxQueue: 512,
  }),
  llamacpp: Object.freeze({
    name: 'llamacpp',
    description:
      'llama-server with 4 slots sharing a 16k context, 2048-token prompt batches, the slowest steps; never rejects, defers work instead.',
    maxBatch: 4,
    kvCapacityTokens: 16_384,
    prefillMsPerToken: 0.2,
    prefillChunkTokens: 2048,
    decodeStepBaseMs: 18,
    decodeStepPerSeqMs: 3,
    jitter: 0.04,
  }),
  instant: Object.freeze({
    name: 'instant',
    description:
      'Costs nothing: every step takes 0 ms and everything runs at once. For benchmarking the collector itself, not an engine.',
    maxBatch: 1_000_000,
    kvCapacityTokens: Number.MAX_SAFE_INTEGER,
    prefillMsPerToken: 0,
    prefillChunkTokens: Number.MAX_SAFE_INTEGER,
    decodeStepBaseMs: 0,
    decodeStepPerSeqMs: 0,
    jitter: 0,
  }),
});

export function defaultProfileFor(kind: SimKind): LatencyProfile {
  return PROFILES[kind];
}

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(PROFILES, name);
}

// Which fields must be whole numbers ≥ 1 and which may be any finite number ≥ 0 (the instant
// profile needs zero durations).
const COUNT_FIELDS = ['maxBatch', 'kvCapacityTokens', 'prefillChunkTokens'] as const;
const DURATION_FIELDS = ['prefillMsPerToken', 'decodeStepBaseMs', 'decodeStepPerSeqMs', 'jitter'] as const;

/**
 * A copy of `profile` with some fields replaced, checked so the scheduler never sees a batch of
 * 0, a negative cost or NaN. Throws a RangeError naming every bad field.
 */
export function withOverrides(profile: LatencyProfile, overrides: Partial<LatencyProfile>): LatencyProfile {
  const merged: LatencyProfile = { ...profile, ...overrides };
  const problems: string[] = [];
  for (const field of COUNT_FIELDS) {
    const value = merged[field];
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${field} must be a whole number ≥ 1 (got ${value})`);
  }
  for (const field of DURATION_FIELDS) {
    const value = merged[field];
    if (!Number.isFinite(value) || value < 0) problems.push(`${field} must be a finite number ≥ 0 (got ${value})`);
  }
  if (merged.jitter >= 1) problems.push(`jitter is a relative standard deviation and must be < 1 (got ${merged.jitter})`);
  if (merged.maxQueue !== undefined && (!Number.isSafeInteger(merged.maxQueue) || merged.maxQueue < 0)) {
    problems.push(`maxQueue must be a whole number ≥ 0 or absent (got ${merged.maxQueue})`);
  }
  if (problems.length > 0) {
    throw new RangeError(`Invalid latency profile "${merged.name}": ${problems.join('; ')}`);
  }
  return Object.freeze(merged);
}
