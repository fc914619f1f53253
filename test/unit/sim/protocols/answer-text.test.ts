// The answer text the protocol writers send: the approximate tokenizer and the answer planner.
import { describe, expect, it } from 'vitest';
import { planAnswer } from '../../../../collector/sim/text/plan-answer.ts';
import { CORPUS } from '../../../../collector/sim/text/corpus.ts';
import { byteOffsets, countTokens, renderChatTemplate, tokenize } from '../../../../collector/sim/text/tokenizer.ts';

describe('tokenizer (approximate)', () => {
  it('cuts text into pieces that join back to it, with stable ids', () => {
    const text = 'The Eiffel Tower was completed in 1889, for the World\'s Fair\n\nCafé & crème!';
    const { ids, pieces } = tokenize(text);
    expect(pieces.join('')).toBe(text);
    expect(ids).toHaveLength(pieces.length);
    expect(tokenize(text).ids).toEqual(ids);
    expect(pieces).toContain(' the');
    expect(pieces).toContain('\n\n');
  });

  it('lands near 4 characters per token on English prose, at least one per word', () => {
    const prose = CORPUS.join(' ');
    const ratio = prose.length / countTokens(prose);
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(5);
    expect(countTokens('a b c d')).toBe(4);
    expect(countTokens('')).toBe(0);
  });

  it('keeps special tokens whole and reports byte offsets', () => {
    const rendered = renderChatTemplate([{ role: 'user', content: 'Hi' }]);
    expect(tokenize(rendered).pieces.slice(0, 2)).toEqual(['<|begin_of_text|>', '<|start_header_id|>']);
    expect(byteOffsets(['é', 'a'])).toEqual([[0, 2], [2, 3]]);
  });
});

describe('planAnswer', () => {
  const base = { seed: 42, prompt: 'Tell me something.', maxTokens: 1000, force: false };

  it('is deterministic for the same seed and prompt, and varies with them', () => {
    expect(planAnswer(base)).toEqual(planAnswer(base));
    const texts = new Set([1, 2, 3, 4, 5].map((seed) => planAnswer({ ...base, seed }).pieces.join('')));
    expect(texts.size).toBeGreaterThan(1);
    expect(planAnswer({ ...base, prompt: 'Other.' })).not.toEqual(planAnswer(base));
  });

  it('ends on EOS within 20–400 tokens, the EOS token counted as an empty last piece', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const a = planAnswer({ ...base, seed });
      expect(a.pieces.length).toBeGreaterThanOrEqual(20);
      expect(a.pieces.length).toBeLessThanOrEqual(400);
      expect([a.finishReason, a.eos, a.pieces.at(-1)]).toEqual(['stop', true, '']);
    }
  });

  it('stops at maxTokens with finish "length" when the natural answer is longer', () => {
    const a = planAnswer({ ...base, maxTokens: 5 });
    expect([a.pieces.length, a.finishReason, a.eos]).toEqual([5, 'length', false]);
    expect(a.pieces.every((p) => p !== '')).toBe(true);
  });

  it('force gives exactly maxTokens, wrapping the corpus as needed', () => {
    const a = planAnswer({ ...base, maxTokens: 5000, force: true });
    expect([a.pieces.length, a.finishReason]).toEqual([5000, 'length']);
  });

  it('min_tokens delays EOS', () => {
    expect(planAnswer({ ...base, minTokens: 450 }).pieces.length).toBe(451);
  });

  it('reads as prose: starts at a paragraph, pieces look like tokens', () => {
    const a = planAnswer(base);
    const text = a.pieces.join('');
    expect(CORPUS.some((p) => p.startsWith(text.slice(0, 30)))).toBe(true);
    expect(a.pieces.slice(1, 10).some((p) => p.startsWith(' '))).toBe(true);
  });

  it('cuts at the earliest stop string: the matching token is counted, its text is not shown', () => {
    const full = planAnswer({ ...base, maxTokens: 400, force: true });
    const text = full.pieces.join('');
    const stop = full.pieces[6]!.trim();
    const cut = planAnswer({ ...base, maxTokens: 400, stop: ['zzz-never', stop] });
    expect(cut.finishReason).toBe('stop');
    expect(cut.stopSequence).toBe(stop);
    expect(cut.eos).toBe(false);
    expect(cut.pieces.join('')).toBe(text.slice(0, text.indexOf(stop)));
    expect(cut.pieces.length).toBeLessThanOrEqual(7);
  });
});
