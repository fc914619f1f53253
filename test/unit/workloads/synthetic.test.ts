import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../collector/sim/text/tokenizer.ts';
import {
  LENGTH_PRESETS,
  approximateTokenizer,
  calibrate,
  createSyntheticPrompts,
  syntheticTargets,
  tokenTolerance,
  withinTolerance,
  type PromptTokenizer,
  type SyntheticPrompt,
} from '../../../collector/workloads/synthetic.ts';

/** Exact tokenizers with very different rates, counting their calls. */
function fake(count: (text: string) => number): PromptTokenizer & { calls: number } {
  const tokenizer = {
    exact: true,
    calls: 0,
    count: async (text: string) => {
      tokenizer.calls += 1;
      return count(text);
    },
  };
  return tokenizer;
}
const simTokens = () => fake(countTokens);
const perCharacter = () => fake((text) => text.length);
const perWord = () => fake((text) => text.split(/\s+/u).filter(Boolean).length);

const userText = (p: SyntheticPrompt): string => p.messages[0]!.content;

describe('createSyntheticPrompts', () => {
  for (const preset of ['short', 'medium', 'long'] as const) {
    it(`lands within ±2 % (or ±2 tokens) of the ${preset} preset with an exact tokenizer`, async () => {
      const tokenizer = simTokens();
      const prompts = await createSyntheticPrompts({ count: 8, length: preset, seed: 11, tokenizer });
      expect(prompts).toHaveLength(8);
      for (const p of prompts) {
        expect(p.targetTokens).toBe(LENGTH_PRESETS[preset]);
        expect(p.measuredTokens).toBe(countTokens(userText(p)));
        expect(Math.abs(p.measuredTokens - p.targetTokens)).toBeLessThanOrEqual(tokenTolerance(p.targetTokens));
        expect(p).toMatchObject({ category: 'synthetic', approximate: false });
        expect(p.messages).toHaveLength(1);
        expect(p.messages[0]!.role).toBe('user');
      }
      // Few tokenizer calls per prompt: a remote /tokenize is not hammered.
      expect(tokenizer.calls / prompts.length).toBeLessThanOrEqual(6);
    });

    it(`lands within tolerance of the ${preset} preset with the approximate tokenizer, and says so`, async () => {
      const prompts = await createSyntheticPrompts({ count: 8, length: preset, seed: 11, tokenizer: approximateTokenizer() });
      for (const p of prompts) {
        expect(p.approximate).toBe(true);
        expect(p.measuredTokens).toBe(Math.ceil(userText(p).length / 4));
        expect(withinTolerance(p.measuredTokens, p.targetTokens)).toBe(true);
      }
    });
  }

  it('calibrates against tokenizers far from four characters per token', async () => {
    for (const tokenizer of [perCharacter(), perWord()]) {
      const prompts = await createSyntheticPrompts({ count: 4, length: { mean: 1500, stdev: 800, min: 40, max: 4000 }, seed: 3, tokenizer });
      for (const p of prompts) expect(withinTolerance(p.measuredTokens, p.targetTokens), `${p.measuredTokens} vs ${p.targetTokens}`).toBe(true);
      expect(tokenizer.calls / prompts.length).toBeLessThanOrEqual(12);
    }
  });

  it('draws targets from the normal distribution within min and max, and lands near each', async () => {
    const length = { mean: 300, stdev: 400, min: 100, max: 500 };
    const targets = syntheticTargets(400, length, 5);
    expect(Math.min(...targets)).toBe(100);
    expect(Math.max(...targets)).toBe(500);
    for (const t of targets) expect(Number.isInteger(t)).toBe(true);
    // A wide stdev clamps many draws onto the bounds; the rest spread between them.
    expect(new Set(targets).size).toBeGreaterThan(50);

    const narrow = syntheticTargets(2000, { mean: 1000, stdev: 100, min: 1, max: 100_000 }, 9);
    const mean = narrow.reduce((a, b) => a + b, 0) / narrow.length;
    const sd = Math.sqrt(narrow.reduce((a, b) => a + (b - mean) ** 2, 0) / narrow.length);
    expect(mean).toBeGreaterThan(990);
    expect(mean).toBeLessThan(1010);
    expect(sd).toBeGreaterThan(90);
    expect(sd).toBeLessThan(110);

    const prompts = await createSyntheticPrompts({ count: 20, length, seed: 5, tokenizer: simTokens() });
    expect(prompts.map((p) => p.targetTokens)).toEqual(targets.slice(0, 20));
    for (const p of prompts) {
      expect(p.targetTokens).toBeGreaterThanOrEqual(100);
      expect(p.targetTokens).toBeLessThanOrEqual(500);
      expect(withinTolerance(p.measuredTokens, p.targetTokens)).toBe(true);
    }
  });

  it('handles small targets (prose without header or instruction)', async () => {
    const prompts = await createSyntheticPrompts({ count: 10, length: { mean: 12, stdev: 6, min: 4, max: 30 }, seed: 2, tokenizer: simTokens() });
    for (const p of prompts) {
      expect(Math.abs(p.measuredTokens - p.targetTokens)).toBeLessThanOrEqual(2);
      expect(userText(p)).toMatch(/[.!?]$/u);
    }
  });

  it('is deterministic per seed, and a different seed gives different text', async () => {
    const make = (seed: number) => createSyntheticPrompts({ count: 5, length: { mean: 400, stdev: 150, min: 64, max: 900 }, seed, tokenizer: simTokens() });
    const [a, b, c] = await Promise.all([make(42), make(42), make(43)]);
    expect(a).toEqual(b);
    expect(c.map(userText)).not.toEqual(a.map(userText));
    // A longer run extends a shorter one.
    const more = await createSyntheticPrompts({ count: 7, length: { mean: 400, stdev: 150, min: 64, max: 900 }, seed: 42, tokenizer: simTokens() });
    expect(more.slice(0, 5)).toEqual(a);
  });

  it('gives every prompt its own id and its own opening, so prompts share no prefix by accident', async () => {
    const prompts = await createSyntheticPrompts({ count: 30, length: 'medium', seed: 1, tokenizer: approximateTokenizer() });
    expect(new Set(prompts.map((p) => p.id)).size).toBe(30);
    expect(new Set(prompts.map((p) => userText(p).slice(0, 40))).size).toBe(30);
    for (const p of prompts) expect(userText(p)).toMatch(/^Reading notes, set \d+ \([0-9a-f]{8}\):\n\n[A-Z]/u);
  });

  it('marks prompts approximate exactly when the tokenizer is not exact', async () => {
    const inexact: PromptTokenizer = { exact: false, count: async (text) => countTokens(text) };
    const exact: PromptTokenizer = { exact: true, count: async (text) => Math.ceil(text.length / 4) };
    const a = await createSyntheticPrompts({ count: 3, length: 'short', seed: 1, tokenizer: inexact });
    const b = await createSyntheticPrompts({ count: 3, length: 'short', seed: 1, tokenizer: exact });
    expect(a.every((p) => p.approximate)).toBe(true);
    expect(b.every((p) => !p.approximate)).toBe(true);
  });

  it('rejects impossible settings', async () => {
    const tokenizer = approximateTokenizer();
    await expect(createSyntheticPrompts({ count: 1, length: { mean: 100, stdev: 10, min: 200, max: 100 }, seed: 1, tokenizer })).rejects.toThrow(/min/u);
    await expect(createSyntheticPrompts({ count: 1, length: { mean: 100, stdev: -1, min: 1, max: 200 }, seed: 1, tokenizer })).rejects.toThrow(/stdev/u);
    await expect(createSyntheticPrompts({ count: -1, length: 'short', seed: 1, tokenizer })).rejects.toThrow(/count/u);
    await expect(createSyntheticPrompts({ count: 1, length: 'huge' as 'short', seed: 1, tokenizer })).rejects.toThrow(/preset/u);
    expect(await createSyntheticPrompts({ count: 0, length: 'short', seed: 1, tokenizer })).toEqual([]);
  });
});

describe('calibrate', () => {
  it('returns the closest text when the target cannot be reached exactly', async () => {
    // Every word costs 10 tokens: 95 is not reachable, 90 or 100 is the best there is.
    const tokenizer = fake((text) => 10 * text.split(' ').length);
    const result = await calibrate((n) => Array.from({ length: n }, () => 'word').join(' '), 95, tokenizer);
    expect([90, 100]).toContain(result.tokens);
    expect(tokenizer.calls).toBeLessThan(20);
  });
});
