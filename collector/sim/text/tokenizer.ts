// An APPROXIMATE, deterministic tokenizer for the simulator. It is not any model's real
// tokenizer: it cuts text the way byte-pair vocabularies tend to (a word with its leading space,
// digits in runs of up to three, punctuation runs, whitespace runs) and splits long words into
// sub-word pieces, which lands near the usual ~4 characters per token of English prose. Ids are a
// stable hash of each piece, so the same text always gives the same ids, as a real vocabulary would.

export interface Tokenized {
  ids: number[];
  pieces: string[];
}

/** Llama-3 style special tokens: the simulated engines all serve a Llama-3.1-like model. */
export const BOS = { id: 128000, text: '<|begin_of_text|>' } as const;
export const EOS = { id: 128009, text: '<|eot_id|>' } as const;
const SPECIAL_IDS: Readonly<Record<string, number>> = {
  '<|begin_of_text|>': 128000,
  '<|end_of_text|>': 128001,
  '<|start_header_id|>': 128006,
  '<|end_header_id|>': 128007,
  '<|eot_id|>': 128009,
};

// Ordinary pieces hash into [256, 128000): below are byte tokens, above are specials.
const VOCAB_BASE = 256;
const VOCAB_SPAN = 128000 - VOCAB_BASE;

/** Longest piece kept whole, leading space included. Longer words become sub-word pieces. */
const MAX_WHOLE = 7;
/** Sub-word pieces after the first are at most this long. */
const MAX_SUB = 4;

const SPECIAL = /<\|[a-z_]+\|>/gu;
// Like Llama-3's pre-tokenizer: a line break run ("\n\n") is one piece, as it is in real vocabularies.
const PRETOKEN = / ?\p{L}+| ?\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

function pieceId(piece: string): number {
  // FNV-1a over UTF-16 units: cheap, stable, well spread.
  let hash = 0x811c9dc5;
  for (let i = 0; i < piece.length; i += 1) hash = Math.imul(hash ^ piece.charCodeAt(i), 0x01000193);
  return VOCAB_BASE + ((hash >>> 0) % VOCAB_SPAN);
}

/** Cuts a long word (" international") into " inter", "nat", "ional"-like pieces on code points. */
function splitWord(word: string, out: string[]): void {
  const chars = Array.from(word);
  if (chars.length <= MAX_WHOLE) {
    out.push(word);
    return;
  }
  // First piece keeps the leading space plus up to four letters (" Eiff"), the rest is shared
  // out evenly in pieces of at most MAX_SUB, so no piece is a lone letter when avoidable.
  const head = chars[0] === ' ' ? 5 : 4;
  out.push(chars.slice(0, head).join(''));
  const rest = chars.slice(head);
  const count = Math.ceil(rest.length / MAX_SUB);
  const size = Math.ceil(rest.length / count);
  for (let i = 0; i < rest.length; i += size) out.push(rest.slice(i, i + size).join(''));
}

function pretokenize(text: string, out: string[]): void {
  for (const match of text.matchAll(PRETOKEN)) {
    const piece = match[0];
    if (/\p{L}/u.test(piece)) splitWord(piece, out);
    else out.push(piece);
  }
}

/** The pieces of `text` (they concatenate back to it exactly) and their ids. Special tokens are one piece each. */
export function tokenize(text: string): Tokenized {
  const pieces: string[] = [];
  let last = 0;
  for (const match of text.matchAll(SPECIAL)) {
    if (SPECIAL_IDS[match[0]] === undefined) continue;
    pretokenize(text.slice(last, match.index), pieces);
    pieces.push(match[0]);
    last = match.index + match[0].length;
  }
  pretokenize(text.slice(last), pieces);
  return { ids: pieces.map((piece) => SPECIAL_IDS[piece] ?? pieceId(piece)), pieces };
}

/** Tokens in `text` (0 for ''). */
export function countTokens(text: string): number {
  return tokenize(text).pieces.length;
}

/** The id a piece would have; the EOS piece maps to the EOS id. */
export function tokenId(piece: string): number {
  return SPECIAL_IDS[piece] ?? pieceId(piece);
}

export interface TemplateMessage {
  role: string;
  content: string;
}

/**
 * The chat as a Llama-3 style prompt, so chat prompt counts include the template's own tokens
 * (headers, separators, the assistant turn it opens) as real engines report them.
 */
export function renderChatTemplate(messages: readonly TemplateMessage[]): string {
  let text = BOS.text;
  for (const m of messages) text += `<|start_header_id|>${m.role}<|end_header_id|>\n\n${m.content.trim()}${EOS.text}`;
  return `${text}<|start_header_id|>assistant<|end_header_id|>\n\n`;
}

/** Prompt tokens of a chat request, template included. */
export function chatPromptTokens(messages: readonly TemplateMessage[]): number {
  return countTokens(renderChatTemplate(messages));
}

/** Prompt tokens of a plain-text request: the text plus the BOS token engines prepend. */
export function textPromptTokens(prompt: string): number {
  return countTokens(prompt) + 1;
}

/** UTF-8 byte offsets of each piece, as TGI's /tokenize reports them. */
export function byteOffsets(pieces: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (const piece of pieces) {
    const length = Buffer.byteLength(piece, 'utf8');
    out.push([at, at + length]);
    at += length;
  }
  return out;
}
