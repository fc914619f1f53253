import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../collector/sim/text/tokenizer.ts';
import { BUILTIN_WORKLOAD } from '../../../collector/workloads/builtin-prompts.ts';
import { sharedPrefixText, withSharedPrefix } from '../../../collector/workloads/shared-prefix.ts';
import { approximateTokenizer, createSyntheticPrompts, withinTolerance, type PromptTokenizer } from '../../../collector/workloads/synthetic.ts';

const exact: PromptTokenizer = { exact: true, count: async (text) => countTokens(text) };

describe('withSharedPrefix', () => {
  it('puts the same system text of about `tokens` tokens first in every prompt, keeping ids and fields', async () => {
    const prompts = await createSyntheticPrompts({ count: 4, length: 'short', seed: 1, tokenizer: exact });
    const shared = await withSharedPrefix(prompts, { tokens: 2000, seed: 7, tokenizer: exact });
    expect(shared.map((p) => p.id)).toEqual(prompts.map((p) => p.id));
    const prefix = shared[0]!.messages[0]!;
    expect(prefix.role).toBe('system');
    expect(withinTolerance(countTokens(prefix.content), 2000)).toBe(true);
    shared.forEach((p, i) => {
      expect(p.messages[0]).toEqual(prefix);
      expect(p.messages.slice(1)).toEqual(prompts[i]!.messages);
      expect(p.targetTokens).toBe(prompts[i]!.targetTokens);
      expect(p.sharedPrefix).toEqual({ targetTokens: 2000, measuredTokens: countTokens(prefix.content), approximate: false });
    });
    // The input prompts are not modified.
    expect(prompts[0]!.messages).toHaveLength(1);
  });

  it('merges into an existing leading system message, shared text first, so there is one system message', async () => {
    const withSystem = BUILTIN_WORKLOAD.filter((p) => p.messages[0]?.role === 'system').slice(0, 3);
    const plain = BUILTIN_WORKLOAD.filter((p) => p.messages[0]?.role !== 'system').slice(0, 3);
    const shared = await withSharedPrefix([...withSystem, ...plain], { tokens: 500, seed: 3, tokenizer: exact });
    const { text } = await sharedPrefixText({ tokens: 500, seed: 3, tokenizer: exact });
    for (const p of shared) {
      expect(p.messages.filter((m) => m.role === 'system')).toHaveLength(1);
      expect(p.messages[0]!.content.startsWith(text)).toBe(true);
    }
    expect(shared[0]!.messages[0]!.content).toBe(`${text}\n\n${withSystem[0]!.messages[0]!.content}`);
    expect(shared[0]!.messages.slice(1)).toEqual(withSystem[0]!.messages.slice(1));
    expect(shared[3]!.messages.slice(1)).toEqual(plain[0]!.messages);
  });

  it('is deterministic per seed, and marks an approximate tokenizer', async () => {
    const a = await sharedPrefixText({ tokens: 300, seed: 1, tokenizer: approximateTokenizer() });
    const b = await sharedPrefixText({ tokens: 300, seed: 1, tokenizer: approximateTokenizer() });
    const c = await sharedPrefixText({ tokens: 300, seed: 2, tokenizer: approximateTokenizer() });
    expect(a).toEqual(b);
    expect(c.text).not.toBe(a.text);
    expect(a.info.approximate).toBe(true);
    expect(withinTolerance(a.info.measuredTokens, 300)).toBe(true);
  });

  it('rejects a non-positive length', async () => {
    await expect(withSharedPrefix([], { tokens: 0, seed: 1, tokenizer: exact })).rejects.toThrow(RangeError);
  });
});
