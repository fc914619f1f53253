// One long system message shared by every prompt of a workload, so engines with prefix caching
// (vLLM, SGLang, llama.cpp's slot cache, …) can reuse its KV entries across requests.
import type { ChatMessage } from '../engines/engine.ts';
import { seedFromText } from '../sim/model/rng.ts';
import { calibrate, createWordStream, prose, type PromptTokenizer } from './synthetic.ts';

export interface SharedPrefixOptions {
  /** Target length of the shared text, in tokens. */
  tokens: number;
  seed: number;
  tokenizer: PromptTokenizer;
}

/** What was prepended, for the run record. */
export interface SharedPrefixInfo {
  targetTokens: number;
  measuredTokens: number;
  approximate: boolean;
}

const OPENING = 'You are a helpful assistant. The reference handbook below is background reading; use it only when a question needs it.\n\nReference handbook:\n';

/** The shared text, about `tokens` long: a fixed opening then seeded readable sentences. */
export async function sharedPrefixText(options: SharedPrefixOptions): Promise<{ text: string; info: SharedPrefixInfo }> {
  const { tokens, seed, tokenizer } = options;
  if (!Number.isFinite(tokens) || tokens < 1) throw new RangeError(`shared prefix tokens must be ≥ 1 (got ${tokens})`);
  const stream = createWordStream(seedFromText(`shared-prefix:${seed}`));
  const build = (words: number): string => {
    const body = prose(stream(words));
    const text = `${OPENING}${body}`;
    // Very short prefixes cannot hold the opening: fall back to the sentences alone.
    return tokens < 40 ? body : text;
  };
  const { text, tokens: measured } = await calibrate(build, tokens, tokenizer);
  return { text, info: { targetTokens: Math.round(tokens), measuredTokens: measured, approximate: !tokenizer.exact } };
}

/**
 * Every prompt with the same shared system message in front. A prompt that already starts with
 * a system message keeps it, after the shared text in the same message, so there is still one
 * system message and the shared text stays the very first thing the engine sees. Ids and every
 * other field are kept.
 */
export async function withSharedPrefix<P extends { id: string; messages: ChatMessage[] }>(
  prompts: readonly P[],
  options: SharedPrefixOptions,
): Promise<Array<P & { sharedPrefix: SharedPrefixInfo }>> {
  const { text, info } = await sharedPrefixText(options);
  return prompts.map((prompt) => {
    const [first, ...rest] = prompt.messages;
    const messages: ChatMessage[] =
      first?.role === 'system'
        ? [{ role: 'system', content: `${text}\n\n${first.content}` }, ...rest]
        : [{ role: 'system', content: text }, ...prompt.messages];
    return { ...prompt, messages, sharedPrefix: info };
  });
}
