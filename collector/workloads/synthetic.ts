// Synthetic prompts of a chosen input length, for sweeping prompt size: readable sentences cut to
// a target token count, calibrated against a tokenizer. With the engine's own /tokenize the counts
// are exact; without one (Ollama, generic OpenAI endpoints) they are estimated at about four
// characters per token and every prompt says so (`approximate: true`).
import type { Fetcher } from '../engines/engine.ts';
import { ServebenchError } from '../errors.ts';
import { CORPUS } from '../sim/text/corpus.ts';
import { createRng, gaussian, seedFromText } from '../sim/model/rng.ts';
import type { Rng } from '../sim/types.ts';
import type { WorkloadPrompt } from './builtin-prompts.ts';

/** Counts the tokens of a text. `exact` is true when the count is the serving model's own. */
export interface PromptTokenizer {
  count(text: string): Promise<number>;
  exact: boolean;
}

export const LENGTH_PRESETS = { short: 128, medium: 1024, long: 4096 } as const;
export type LengthPreset = keyof typeof LENGTH_PRESETS;

/** Per-prompt targets drawn from a seeded normal distribution, clamped to [min, max]. */
export interface LengthDistribution {
  mean: number;
  stdev: number;
  min: number;
  max: number;
}

export type SyntheticLength = LengthPreset | LengthDistribution;

export interface SyntheticPrompt extends WorkloadPrompt {
  category: 'synthetic';
  /** The input length asked for, in tokens of the user message's text. */
  targetTokens: number;
  /** The tokenizer's count of the user message's text (chat template not included). */
  measuredTokens: number;
  /** True when measuredTokens is an estimate rather than the engine's own count. */
  approximate: boolean;
}

export interface SyntheticOptions {
  count: number;
  length: SyntheticLength;
  seed: number;
  tokenizer: PromptTokenizer;
}

/** How far a calibrated text may land from its target: ±2 %, but never tighter than ±2 tokens. */
export function tokenTolerance(target: number): number {
  return Math.max(2, target * 0.02);
}

export function withinTolerance(measured: number, target: number): boolean {
  return Math.abs(measured - target) <= tokenTolerance(target);
}

// ---------------------------------------------------------------- tokenizers

/** About four characters per token, the usual rate for English prose. Not exact for any model. */
export function approximateTokenizer(): PromptTokenizer {
  return { exact: false, count: async (text) => Math.ceil(text.length / 4) };
}

/**
 * The engine's own tokenizer through its `/tokenize` endpoint, or null when the engine has none
 * (Ollama, generic OpenAI-compatible servers). Counts exclude the special tokens engines add
 * (BOS), so they measure the text itself.
 */
export function engineTokenizer(kind: string, fetcher: Fetcher, model: string): PromptTokenizer | null {
  switch (kind) {
    case 'vllm':
      return {
        exact: true,
        count: async (text) => {
          const body = await postTokenize(kind, fetcher, { model, prompt: text, add_special_tokens: false });
          if (isRecord(body) && typeof body['count'] === 'number') return body['count'];
          if (isRecord(body) && Array.isArray(body['tokens'])) return body['tokens'].length;
          throw badAnswer(kind, 'has no "count"');
        },
      };
    case 'tgi':
      return {
        exact: true,
        count: async (text) => {
          const body = await postTokenize(kind, fetcher, { inputs: text });
          if (!Array.isArray(body)) throw badAnswer(kind, 'is not a list of tokens');
          // TGI adds special tokens (BOS) that cover no input text: their offsets are empty.
          return body.filter((token: unknown) => !(isRecord(token) && token['start'] === token['stop'] && typeof token['start'] === 'number')).length;
        },
      };
    case 'llamacpp':
      return {
        exact: true,
        count: async (text) => {
          // Without add_special, llama.cpp counts the text alone.
          const body = await postTokenize(kind, fetcher, { content: text });
          if (isRecord(body) && Array.isArray(body['tokens'])) return body['tokens'].length;
          throw badAnswer(kind, 'has no "tokens" list');
        },
      };
    default:
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function postTokenize(kind: string, fetcher: Fetcher, body: unknown): Promise<unknown> {
  let answer: { status: number; body: string };
  try {
    answer = await fetcher({ method: 'POST', path: '/tokenize', body });
  } catch (error) {
    throw new ServebenchError(
      'ENGINE_UNREACHABLE',
      `could not reach the ${kind} /tokenize endpoint: ${error instanceof Error ? error.message : String(error)}`,
      'check the engine URL, or use approximate token counts',
      { cause: error },
    );
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new ServebenchError(
      'PROMPTS_INVALID',
      `the ${kind} /tokenize endpoint answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`,
      'check the model name, or use approximate token counts',
    );
  }
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    throw badAnswer(kind, 'is not JSON');
  }
}

function badAnswer(kind: string, why: string): ServebenchError {
  return new ServebenchError('PROMPTS_INVALID', `the ${kind} /tokenize answer ${why}`, 'use approximate token counts for this engine');
}

// ---------------------------------------------------------------- readable filler

const SENTENCES: readonly string[] = CORPUS.flatMap((paragraph) => paragraph.split(/(?<=[.!?])\s+/u));

/** An endless, seeded stream of words from whole sentences, each pass a fresh shuffle of all of them. */
export function createWordStream(seed: number): (count: number) => string[] {
  const rng = createRng(seed);
  const words: string[] = [];
  return (count) => {
    while (words.length < count) {
      for (const sentence of shuffled(SENTENCES, rng)) words.push(...sentence.split(/\s+/u));
    }
    return words.slice(0, count);
  };
}

export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Words joined and ended as a sentence. */
export function prose(words: readonly string[]): string {
  const text = words.join(' ');
  return text === '' || /[.!?]$/u.test(text) ? text : `${text.replace(/[,;:]$/u, '')}.`;
}

// ---------------------------------------------------------------- calibration

export interface Calibrated {
  text: string;
  tokens: number;
}

/**
 * Finds the word count whose text (`build(words)`) the tokenizer counts closest to `target`,
 * stopping as soon as it is within tolerance. Secant steps from the observed tokens per word,
 * kept inside the bracket of counts already seen, so a remote tokenizer sees only a few calls.
 */
export async function calibrate(build: (words: number) => string, target: number, tokenizer: PromptTokenizer): Promise<Calibrated> {
  const goal = Math.max(1, Math.round(target));
  let below = 0; // most words known to give fewer tokens than the goal
  let above = Number.POSITIVE_INFINITY; // fewest words known to give more
  let words = Math.max(1, Math.round(goal * 0.75));
  let best: Calibrated | undefined;
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const text = build(words);
    const tokens = await tokenizer.count(text);
    if (!best || Math.abs(tokens - goal) < Math.abs(best.tokens - goal)) best = { text, tokens };
    if (withinTolerance(tokens, goal)) break;
    if (tokens < goal) below = Math.max(below, words);
    else above = Math.min(above, words);
    let next = tokens > 0 ? Math.round((words * goal) / tokens) : words * 2;
    if (next <= below || next >= above) next = Number.isFinite(above) ? Math.floor((below + above) / 2) : below * 2;
    if (next <= below || next >= above) break; // no word count left between the two sides
    words = next;
  }
  return best!;
}

// ---------------------------------------------------------------- prompts

const INSTRUCTIONS: readonly string[] = [
  'Summarise the notes above in three sentences.',
  'List the main topics the notes above cover, one line each.',
  'Which of the notes above would help a beginner most, and why?',
  'Write five quiz questions based on the notes above.',
  'Pick the most surprising fact in the notes above and explain it simply.',
  'Rewrite the key advice from the notes above as a short checklist.',
];

/** Below this target the prompt is prose alone: a header and an instruction would not fit. */
const FRAMED_FROM_TOKENS = 64;

/** The per-prompt targets, drawn in order from one seeded stream (so a longer run extends a shorter one). */
export function syntheticTargets(count: number, length: SyntheticLength, seed: number): number[] {
  if (typeof length === 'string') {
    const target = LENGTH_PRESETS[length];
    if (target === undefined) throw invalid(`unknown length preset "${String(length)}" (use ${Object.keys(LENGTH_PRESETS).join(', ')})`);
    return Array.from({ length: count }, () => target);
  }
  const { mean, stdev, min, max } = length;
  if (![mean, stdev, min, max].every(Number.isFinite)) throw invalid('mean, stdev, min and max must be numbers');
  if (min < 1 || min > max) throw invalid(`need 1 ≤ min ≤ max (got min ${min}, max ${max})`);
  if (stdev < 0) throw invalid(`stdev must not be negative (got ${stdev})`);
  const rng = createRng(seedFromText(`synthetic-lengths:${seed}`));
  const low = Math.ceil(min);
  const high = Math.floor(max);
  if (low > high) throw invalid(`no whole token count lies between min ${min} and max ${max}`);
  return Array.from({ length: count }, () => Math.min(high, Math.max(low, Math.round(mean + stdev * gaussian(rng)))));
}

export async function createSyntheticPrompts(options: SyntheticOptions): Promise<SyntheticPrompt[]> {
  const { count, length, seed, tokenizer } = options;
  if (!Number.isInteger(count) || count < 0) throw invalid(`count must be a whole number ≥ 0 (got ${count})`);
  const targets = syntheticTargets(count, length, seed);
  const prompts: SyntheticPrompt[] = [];
  for (const [index, target] of targets.entries()) {
    const promptSeed = seedFromText(`synthetic:${seed}:${index}`);
    const rng = createRng(promptSeed);
    const stream = createWordStream(promptSeed ^ 0x5bd1e995);
    // A unique opening line per prompt, so no two prompts share a cacheable prefix by accident.
    const header = `Reading notes, set ${index + 1} (${promptSeed.toString(16).padStart(8, '0')}):\n\n`;
    const instruction = INSTRUCTIONS[Math.floor(rng.next() * INSTRUCTIONS.length)]!;
    const framed = target >= FRAMED_FROM_TOKENS;
    const build = (words: number): string => (framed ? `${header}${prose(stream(words))}\n\n${instruction}` : prose(stream(words)));
    const { text, tokens } = await calibrate(build, target, tokenizer);
    prompts.push({
      id: `synthetic-${index + 1}`,
      category: 'synthetic',
      messages: [{ role: 'user', content: text }],
      targetTokens: target,
      measuredTokens: tokens,
      approximate: !tokenizer.exact,
    });
  }
  return prompts;
}

function invalid(message: string): ServebenchError {
  return new ServebenchError('PROMPTS_INVALID', `synthetic prompts: ${message}`, 'fix the synthetic workload settings');
}
