// TGI's native API as its router writes it (serde_json, compact): /generate_stream token events,
// the /generate answer and /tokenize. See tgi-generate-stream.sse in /work/shared/protocols.
import { tokenId } from '../text/tokenizer.ts';

export type TgiFinishReason = 'length' | 'eos_token' | 'stop_sequence';

export interface TgiToken {
  id: number;
  text: string;
  /** An f32, printed the way serde_json prints f32 (shortest round-trip). */
  logprob: number;
  special: boolean;
}

export interface TgiStreamDetails {
  finishReason: TgiFinishReason;
  generatedTokens: number;
  seed: number | null;
  inputLength: number;
}

/**
 * The shortest decimal that reads back as the same f32, as ryu (serde_json's float printer) writes
 * it: -0.040039062, not the f64 -0.0400390625. Whole numbers keep a ".0".
 */
export function f32Text(value: number): string {
  const target = Math.fround(value);
  if (target === 0 || !Number.isFinite(target)) return target === 0 ? '0.0' : String(target);
  for (let digits = 1; digits <= 9; digits += 1) {
    // Candidates with `digits` significant digits around the value; ryu keeps the one nearest
    // the exact f32 value among those that read back as it, an even last digit on a tie.
    const [mantissa, exponent] = target.toExponential(digits - 1).split('e') as [string, string];
    const scaled = BigInt(mantissa.replace('.', ''));
    let best: { text: string; distance: number; even: boolean } | undefined;
    for (const delta of [-1n, 0n, 1n]) {
      const m = scaled + delta;
      const text = `${m}e${Number(exponent) - (digits - 1)}`;
      const number = Number(text);
      if (Math.fround(number) !== target) continue;
      const distance = Math.abs(number - target);
      const even = m % 2n === 0n;
      if (!best || distance < best.distance || (distance === best.distance && even && !best.even)) best = { text, distance, even };
    }
    if (best) {
      const plain = String(Number(best.text));
      return /[.e]/.test(plain) ? plain : `${plain}.0`;
    }
  }
  return String(target);
}

/**
 * A plausible log-probability for a token, stable for a given piece and position: bf16-like
 * steps of 1/256 between -0.004 and -3.
 */
export function tokenLogprob(piece: string, index: number): number {
  const id = tokenId(piece);
  const k = 1 + ((Math.imul(id ^ (index * 0x9e3779b1), 0x85ebca6b) >>> 0) % 768);
  return -Math.fround(k / 256);
}

function tokenJson(t: TgiToken): string {
  return `{"id":${t.id},"text":${JSON.stringify(t.text)},"logprob":${f32Text(t.logprob)},"special":${t.special}}`;
}

/**
 * One /generate_stream event. `index` counts from 1. The last event carries `generated_text`, and
 * `details` only when the request asked for them.
 */
export function tgiTokenEvent(index: number, token: TgiToken, generatedText: string | null, details: TgiStreamDetails | null): string {
  const detailsJson = details
    ? JSON.stringify({
        finish_reason: details.finishReason,
        generated_tokens: details.generatedTokens,
        seed: details.seed,
        input_length: details.inputLength,
      })
    : 'null';
  return `{"index":${index},"token":${tokenJson(token)},"generated_text":${generatedText === null ? 'null' : JSON.stringify(generatedText)},"details":${detailsJson}}`;
}

export interface TgiAnswerDetails {
  finishReason: TgiFinishReason;
  tokens: TgiToken[];
  seed: number | null;
}

/** The /generate answer: `{generated_text}` plus `details` (with every token) when asked for. */
export function tgiGenerateAnswer(generatedText: string, details: TgiAnswerDetails | null): string {
  if (!details) return JSON.stringify({ generated_text: generatedText });
  const head = JSON.stringify({
    finish_reason: details.finishReason,
    generated_tokens: details.tokens.length,
    seed: details.seed,
    prefill: [],
  });
  // Splice the tokens in by hand so their logprobs keep serde's f32 formatting.
  return `{"generated_text":${JSON.stringify(generatedText)},"details":${head.slice(0, -1)},"tokens":[${details.tokens.map(tokenJson).join(',')}]}}`;
}

/** /tokenize: `[{id,text,start,stop}]` with UTF-8 byte offsets into the input; BOS is (0,0) with no text. */
export function tgiTokenizeAnswer(tokens: Array<{ id: number; text: string; start: number; stop: number }>): string {
  return JSON.stringify(tokens.map((t) => ({ id: t.id, text: t.text, start: t.start, stop: t.stop })));
}
