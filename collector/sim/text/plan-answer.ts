// What a simulated engine will answer, decided before generation starts: the text of every output
// token and why the answer ends. The scheduler only needs the token count; the protocol writers
// need each token's text. Same seed and prompt give the same answer, so a streamed and a
// non-streamed request with one seed say exactly the same thing.
import { createRng, seedFromText } from '../model/rng.ts';
import { CORPUS } from './corpus.ts';
import { tokenize } from './tokenizer.ts';

export interface AnswerRequest {
  seed: number;
  /** The prompt text (chat messages joined): mixed into the seed so different prompts differ. */
  prompt: string;
  /** Output token cap (max_tokens / max_new_tokens / num_predict); at least 1 is used. */
  maxTokens: number;
  /** ignore_eos, or min_tokens ≥ max_tokens: exactly maxTokens tokens, finish 'length', stop strings ignored. */
  force: boolean;
  /** vLLM min_tokens: no EOS and no stop string before this many tokens. */
  minTokens?: number;
  stop?: readonly string[];
}

export interface PlannedAnswer {
  /**
   * The text of each output token, one entry per token the engine counts. When the answer ends
   * with EOS the last entry is '' (the EOS token, counted but not shown). After a stop string the
   * entries from the match on are cut, so `pieces.join('')` is always the visible answer.
   */
  pieces: string[];
  finishReason: 'stop' | 'length';
  /** True when the last token is the EOS token. */
  eos: boolean;
  /** The stop string that ended the answer, when one did. */
  stopSequence?: string;
}

// Natural answer lengths (EOS included) are log-uniform over this range: mostly short, some long.
const NATURAL_MIN = 20;
const NATURAL_MAX = 400;
const PARAGRAPH_BREAK = '\n\n';

interface Ring {
  pieces: string[];
  /** Index of each paragraph's first piece: answers start at a paragraph so they read naturally. */
  starts: number[];
}

let ring: Ring | undefined;

/** The corpus as one endless loop of token pieces, paragraphs separated by a blank line. */
function corpusRing(): Ring {
  if (ring) return ring;
  const pieces: string[] = [];
  const starts: number[] = [];
  for (const paragraph of CORPUS) {
    starts.push(pieces.length);
    pieces.push(...tokenize(paragraph).pieces, PARAGRAPH_BREAK);
  }
  ring = { pieces, starts };
  return ring;
}

export function planAnswer(req: AnswerRequest): PlannedAnswer {
  const maxTokens = Math.max(1, Math.floor(req.maxTokens));
  const minTokens = Math.max(0, Math.floor(req.minTokens ?? 0));
  const rng = createRng(seedFromText(`${req.seed}|${req.prompt}`));
  const { pieces: loop, starts } = corpusRing();
  const start = starts[Math.floor(rng.next() * starts.length)] ?? 0;
  // min_tokens blocks EOS until that many tokens exist, so EOS comes at the earliest one later.
  const natural = Math.max(Math.round(NATURAL_MIN * (NATURAL_MAX / NATURAL_MIN) ** rng.next()), minTokens + 1);

  const eos = !req.force && natural <= maxTokens;
  const total = req.force ? maxTokens : Math.min(natural, maxTokens);
  const textTokens = eos ? total - 1 : total;
  const pieces: string[] = [];
  for (let i = 0; i < textTokens; i += 1) pieces.push(loop[(start + i) % loop.length]!);

  const cut = req.force ? undefined : cutAtStop(pieces, req.stop ?? [], minTokens);
  if (cut) return { pieces: cut.pieces, finishReason: 'stop', eos: false, stopSequence: cut.stop };
  if (eos) pieces.push('');
  return { pieces, finishReason: eos ? 'stop' : 'length', eos };
}

/**
 * Ends the answer at the earliest stop string, as engines do: the token that completes the match
 * is the last one generated (and counted), and the text from the match on is not shown.
 */
function cutAtStop(pieces: string[], stops: readonly string[], minTokens: number): { pieces: string[]; stop: string } | undefined {
  const text = pieces.join('');
  const ends: number[] = [];
  let at = 0;
  for (const piece of pieces) ends.push((at += piece.length));
  /** Index of the token holding character `char`. */
  const tokenAt = (char: number): number => ends.findIndex((end) => end > char);

  let best: { start: number; last: number; stop: string } | undefined;
  for (const stop of stops) {
    if (stop === '') continue;
    for (let from = text.indexOf(stop); from !== -1; from = text.indexOf(stop, from + 1)) {
      const last = tokenAt(from + stop.length - 1);
      if (last < minTokens) continue; // before min_tokens, stop strings are not checked
      if (!best || from < best.start) best = { start: from, last, stop };
      break;
    }
  }
  if (!best) return undefined;
  const out: string[] = [];
  for (let i = 0; i <= best.last; i += 1) {
    const begin = i === 0 ? 0 : ends[i - 1]!;
    out.push(begin >= best.start ? '' : text.slice(begin, Math.min(ends[i]!, best.start)));
  }
  return { pieces: out, stop: best.stop };
}
