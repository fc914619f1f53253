import { describe, it, expect } from 'vitest';
import { PROFILES, defaultProfileFor, isProfileName, withOverrides } from '../../../../collector/sim/model/profiles.ts';
import { SIM_KINDS } from '../../../../collector/sim/types.ts';

describe('latency profiles', () => {
  it('has a default for every simulated engine kind, named after it', () => {
    for (const kind of SIM_KINDS) expect(defaultProfileFor(kind).name).toBe(kind);
    expect(Object.keys(PROFILES).sort()).toEqual(['instant', 'llamacpp', 'ollama', 'tgi', 'vllm']);
    expect(isProfileName('instant')).toBe(true);
    expect(isProfileName('toString')).toBe(false);
  });

  it('passes its own validation', () => {
    for (const profile of Object.values(PROFILES)) expect(withOverrides(profile, {})).toEqual(profile);
  });

  it('gives each engine its own character', () => {
    const { vllm, tgi, ollama, llamacpp, instant } = PROFILES;
    // Batch width: vLLM widest, the llama.cpp family a few slots.
    expect(vllm.maxBatch).toBeGreaterThan(tgi.maxBatch);
    expect(tgi.maxBatch).toBeGreaterThan(ollama.maxBatch);
    expect(ollama.maxBatch).toBe(llamacpp.maxBatch);
    // An extra sequence costs little on vLLM/TGI and a lot on the slot-based engines.
    expect(ollama.decodeStepPerSeqMs).toBeGreaterThan(5 * tgi.decodeStepPerSeqMs);
    expect(llamacpp.decodeStepPerSeqMs).toBeGreaterThan(5 * vllm.decodeStepPerSeqMs);
    expect(vllm.prefillMsPerToken).toBeLessThan(ollama.prefillMsPerToken);
    // Who rejects: TGI and Ollama have a queue limit, vLLM and llama.cpp never reject.
    expect([vllm.maxQueue, tgi.maxQueue, ollama.maxQueue, llamacpp.maxQueue]).toEqual([undefined, 128, 512, undefined]);
    expect([instant.decodeStepBaseMs, instant.decodeStepPerSeqMs, instant.prefillMsPerToken, instant.jitter]).toEqual([0, 0, 0, 0]);
  });

  it('replaces fields without touching the original', () => {
    const small = withOverrides(PROFILES.vllm, { maxBatch: 2, jitter: 0 });
    expect(small.maxBatch).toBe(2);
    expect(small.jitter).toBe(0);
    expect(small.decodeStepBaseMs).toBe(PROFILES.vllm.decodeStepBaseMs);
    expect(PROFILES.vllm.maxBatch).toBe(64);
    expect(withOverrides(PROFILES.tgi, { maxQueue: undefined }).maxQueue).toBeUndefined();
  });

  it('rejects batch sizes, budgets and costs the scheduler cannot run, naming each field', () => {
    expect(() => withOverrides(PROFILES.vllm, { maxBatch: 0 })).toThrow(/maxBatch must be a whole number ≥ 1/);
    expect(() => withOverrides(PROFILES.vllm, { kvCapacityTokens: 1.5 })).toThrow(/kvCapacityTokens/);
    expect(() => withOverrides(PROFILES.vllm, { decodeStepBaseMs: -1 })).toThrow(/decodeStepBaseMs must be a finite number ≥ 0/);
    expect(() => withOverrides(PROFILES.vllm, { prefillMsPerToken: Number.NaN })).toThrow(/prefillMsPerToken/);
    expect(() => withOverrides(PROFILES.vllm, { jitter: 1 })).toThrow(/jitter/);
    expect(() => withOverrides(PROFILES.vllm, { maxQueue: -3 })).toThrow(/maxQueue/);
    expect(() => withOverrides(PROFILES.vllm, { maxBatch: 0, decodeStepPerSeqMs: Infinity })).toThrow(
      /maxBatch.*decodeStepPerSeqMs/,
    );
  });
});
