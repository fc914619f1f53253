// What each engine writes for one planned answer, token by token: the role chunk with the first
// token, one chunk per token (or none while text is held back), the finish/usage/sentinel with the
// last token, a mid-stream failure, a malformed message, or the whole non-streamed answer. Pure:
// the server decides when to call these and does the I/O; every string returned is one socket write.
import type { SimKind } from '../types.ts';
import type { PlannedAnswer } from '../text/plan-answer.ts';
import { EOS, tokenId, tokenize } from '../text/tokenizer.ts';
import { midStreamErrorWrites } from './errors.ts';
import { cutInHalf, ndjson, sse, SSE_DONE } from './framing.ts';
import { TGI_FINGERPRINT, LLAMACPP_BUILD } from './info.ts';
import {
  llamacppChatAnswer,
  llamacppChatContent,
  llamacppChatFinish,
  llamacppChatRole,
  llamacppChatUsage,
  llamacppCompletionChunk,
  llamacppCompletionFinal,
  llamacppTimings,
  tgiChatAnswer,
  tgiChatChunk,
  tgiChatUsage,
  tgiCompletionChunk,
  tgiCompletionFinal,
  vllmChatAnswer,
  vllmChatContent,
  vllmChatFinish,
  vllmChatRole,
  vllmCompletionAnswer,
  vllmCompletionChunk,
  vllmUsageChunk,
  type ChunkMeta,
  type Usage,
} from './openai-chat.ts';
import { ollamaChatChunk, ollamaChatFinal, ollamaGenerateChunk, ollamaGenerateFinal, rfc3339Nano, type OllamaMetrics } from './ollama.ts';
import type { GenerationParams } from './requests.ts';
import { tgiGenerateAnswer, tgiTokenEvent, tokenLogprob, type TgiFinishReason, type TgiToken } from './tgi-generate.ts';

/** Times a writer may print (Unix `created`, Ollama durations, llama.cpp timings). Clock ms unless noted. */
export interface AnswerTimes {
  /** Now as epoch ms. */
  nowEpochMs: number;
  nowMs: number;
  arrivedMs: number;
  submittedMs: number;
  /** When token 0 was produced (nowMs if none yet). */
  firstTokenMs: number;
  /** The modelled prompt processing time, ms (≤ firstTokenMs − submittedMs). */
  prefillMs: number;
}

export interface AnswerWriter {
  contentType: string;
  /** Extra headers of a streaming answer, sent at once. */
  streamHeaders: Record<string, string>;
  /** Streaming: the writes due when token `index` is produced; the last token's writes close the stream. */
  token(index: number, t: AnswerTimes): string[];
  /** Streaming: the engine's mid-stream failure (the stream ends after these writes). */
  failure(): string[];
  /** Streaming: one message that is not valid JSON, in place of token `index`'s. */
  malformed(index: number, t: AnswerTimes): string;
  /** Non-streaming: the whole answer (status 200) and its headers. */
  whole(t: AnswerTimes): { contentType: string; body: string; headers: Record<string, string> };
}

export interface WriterInput {
  kind: SimKind;
  params: GenerationParams;
  answer: PlannedAnswer;
  /** The engine-style response id (vLLM, llama.cpp); TGI's is always "". */
  id: string;
  /** Arrival, epoch ms: vLLM's `created` is taken once, when the request arrives. */
  arrivedEpochMs: number;
  /** The seed the answer was planned with (TGI reports it when sampling). */
  seed: number;
  /** TGI routes the compat `/` answer through an array. */
  wrapInArray?: boolean;
}

const seconds = (epochMs: number) => Math.floor(epochMs / 1000);

export function createAnswerWriter(input: WriterInput): AnswerWriter {
  switch (input.kind) {
    case 'vllm':
      return vllmWriter(input);
    case 'tgi':
      return input.params.api === 'generate' ? tgiGenerateWriter(input) : tgiOpenAiWriter(input);
    case 'ollama':
      return ollamaWriter(input);
    case 'llamacpp':
      return llamacppWriter(input);
  }
}

function usageOf(input: WriterInput): Usage {
  return { promptTokens: input.params.promptTokens, completionTokens: input.answer.pieces.length };
}

const answerText = (answer: PlannedAnswer) => answer.pieces.join('');
const isLast = (input: WriterInput, index: number) => index === input.answer.pieces.length - 1;
const pieceAt = (input: WriterInput, index: number) => input.answer.pieces[index] ?? '';

// ---------------------------------------------------------------- vLLM

function vllmWriter(input: WriterInput): AnswerWriter {
  const { params, answer } = input;
  const chat = params.api === 'chat';
  const meta: ChunkMeta = { id: input.id, created: seconds(input.arrivedEpochMs), model: params.responseModel };
  const stopReason = answer.stopSequence ?? null;
  const content = (index: number) => (chat ? vllmChatContent(meta, pieceAt(input, index)) : vllmCompletionChunk(meta, pieceAt(input, index), null, null));
  return {
    contentType: 'text/event-stream; charset=utf-8',
    streamHeaders: {},
    token(index) {
      const writes: string[] = [];
      if (chat && index === 0) writes.push(sse(vllmChatRole(meta)));
      if (!isLast(input, index)) {
        writes.push(sse(content(index)));
        return writes;
      }
      // The last token's text (or '' for EOS) rides on the finish chunk.
      const text = pieceAt(input, index);
      writes.push(
        sse(chat ? vllmChatFinish(meta, text, answer.finishReason, stopReason) : vllmCompletionChunk(meta, text, answer.finishReason, stopReason)),
      );
      if (params.includeUsage) writes.push(sse(vllmUsageChunk(meta, chat ? 'chat.completion.chunk' : 'text_completion', usageOf(input))));
      writes.push(SSE_DONE);
      return writes;
    },
    failure: () => midStreamErrorWrites('vllm', params.api),
    malformed: (index) => sse(cutInHalf(content(index))),
    whole() {
      const text = answerText(answer);
      const body = chat
        ? vllmChatAnswer(meta, text, answer.finishReason, stopReason, usageOf(input))
        : vllmCompletionAnswer(meta, text, answer.finishReason, stopReason, usageOf(input));
      return { contentType: 'application/json', body, headers: {} };
    },
  };
}

// ---------------------------------------------------------------- llama.cpp

function llamacppWriter(input: WriterInput): AnswerWriter {
  const { params, answer } = input;
  const chat = params.api === 'chat';
  const meta = (t: AnswerTimes): ChunkMeta => ({ id: input.id, created: seconds(t.nowEpochMs), model: params.responseModel, systemFingerprint: LLAMACPP_BUILD });
  const timings = (t: AnswerTimes) => llamacppTimings(params.promptTokens, t.prefillMs, answer.pieces.length, t.nowMs - t.firstTokenMs);
  const partial = (m: ChunkMeta, text: string) => (chat ? llamacppChatContent(m, text) : llamacppCompletionChunk(m, text));
  return {
    contentType: 'text/event-stream',
    streamHeaders: {},
    token(index, t) {
      const m = meta(t);
      const writes: string[] = [];
      // One result, one write: the role delta travels with the first token's text.
      let first = chat && index === 0 ? sse(llamacppChatRole(m)) : '';
      const text = pieceAt(input, index);
      // Held-back text (a possible stop-string prefix) is never sent as an empty chunk.
      if (text !== '') first += sse(partial(m, text));
      if (first !== '') writes.push(first);
      if (!isLast(input, index)) return writes;
      // The final result: finish (and usage), `timings` on whichever event is last, then [DONE].
      const u = usageOf(input);
      const tm = timings(t);
      if (!chat) {
        writes.push(sse(llamacppCompletionFinal(m, '', answer.finishReason, u, tm)));
      } else if (params.includeUsage) {
        writes.push(sse(llamacppChatFinish(m, answer.finishReason)) + sse(llamacppChatUsage(m, u, tm)));
      } else {
        writes.push(sse(llamacppChatFinish(m, answer.finishReason, tm)));
      }
      writes.push(SSE_DONE);
      return writes;
    },
    failure: () => midStreamErrorWrites('llamacpp', params.api),
    malformed: (index, t) => sse(cutInHalf(partial(meta(t), pieceAt(input, index) || ' '))),
    whole(t) {
      const m = meta(t);
      const text = answerText(answer);
      const body = chat
        ? llamacppChatAnswer(m, text, answer.finishReason, usageOf(input), timings(t))
        : llamacppCompletionFinal(m, text, answer.finishReason, usageOf(input), timings(t));
      return { contentType: 'application/json; charset=utf-8', body, headers: {} };
    },
  };
}

// ---------------------------------------------------------------- TGI

/** x-compute-type: TGI writes `<shards>-<gpu name>`; the simulator says what it is. */
const TGI_COMPUTE_TYPE = '1-servebench-simulated';

function tgiFinish(answer: PlannedAnswer): TgiFinishReason {
  if (answer.eos) return 'eos_token';
  return answer.stopSequence !== undefined ? 'stop_sequence' : 'length';
}

/** The OpenAI-facing reason: TGI maps only eos_token to "stop"; stop_sequence passes through. */
function tgiOpenAiFinish(answer: PlannedAnswer): string {
  const raw = tgiFinish(answer);
  return raw === 'eos_token' ? 'stop' : raw;
}

function tgiStreamHeaders(params: GenerationParams): Record<string, string> {
  return { 'x-compute-type': TGI_COMPUTE_TYPE, 'x-compute-characters': String(params.inputChars), 'x-accel-buffering': 'no' };
}

/** Non-stream timing headers (ms, whole numbers), from the modelled queue/prefill split. */
function tgiTimingHeaders(input: WriterInput, t: AnswerTimes): Record<string, string> {
  const total = t.nowMs - t.arrivedMs;
  const validation = t.submittedMs - t.arrivedMs;
  const inference = t.nowMs - (t.firstTokenMs - t.prefillMs);
  const queue = Math.max(0, total - validation - inference);
  const generated = input.answer.pieces.length;
  return {
    'x-compute-type': TGI_COMPUTE_TYPE,
    'x-compute-time': String(total / 1000),
    'x-compute-characters': String(input.params.inputChars),
    'x-total-time': String(Math.floor(total)),
    'x-validation-time': String(Math.floor(validation)),
    'x-queue-time': String(Math.floor(queue)),
    'x-inference-time': String(Math.floor(inference)),
    'x-time-per-token': String(Math.floor(inference / Math.max(1, generated))),
    'x-prompt-tokens': String(input.params.promptTokens),
    'x-generated-tokens': String(generated),
  };
}

function tgiToken(input: WriterInput, index: number): TgiToken {
  // On EOS the last token is the special EOS token itself; its text is not part of the answer.
  if (input.answer.eos && isLast(input, index)) return { id: EOS.id, text: EOS.text, logprob: tokenLogprob(EOS.text, index), special: true };
  const piece = pieceAt(input, index);
  return { id: tokenId(piece), text: piece, logprob: tokenLogprob(piece, index), special: false };
}

function tgiGenerateWriter(input: WriterInput): AnswerWriter {
  const { params, answer } = input;
  const generatedText = () => (params.returnFullText ? params.promptText : '') + answerText(answer);
  const seed = params.sampling ? input.seed : null;
  const event = (index: number) => {
    if (!isLast(input, index)) return tgiTokenEvent(index + 1, tgiToken(input, index), null, null);
    const details = params.details
      ? { finishReason: tgiFinish(answer), generatedTokens: answer.pieces.length, seed, inputLength: params.promptTokens }
      : null;
    return tgiTokenEvent(index + 1, tgiToken(input, index), generatedText(), details);
  };
  return {
    contentType: 'text/event-stream',
    streamHeaders: tgiStreamHeaders(params),
    // No [DONE] on /generate_stream: the event with generated_text ends it.
    token: (index) => [sse(event(index))],
    failure: () => midStreamErrorWrites('tgi', 'generate'),
    malformed: (index) => sse(cutInHalf(event(index))),
    whole(t) {
      const tokens = answer.pieces.map((_, i) => tgiToken(input, i));
      const details = params.details ? { finishReason: tgiFinish(answer), tokens, seed } : null;
      const one = tgiGenerateAnswer(generatedText(), details);
      return { contentType: 'application/json', body: input.wrapInArray ? `[${one}]` : one, headers: tgiTimingHeaders(input, t) };
    },
  };
}

function tgiOpenAiWriter(input: WriterInput): AnswerWriter {
  const { params, answer } = input;
  const chat = params.api === 'messages';
  // TGI takes `created` per chunk.
  const meta = (t: AnswerTimes): ChunkMeta => ({ id: '', created: seconds(t.nowEpochMs), model: params.responseModel, systemFingerprint: TGI_FINGERPRINT });
  const chunk = (index: number, t: AnswerTimes) => (chat ? tgiChatChunk(meta(t), pieceAt(input, index), null) : tgiCompletionChunk(meta(t), pieceAt(input, index)));
  return {
    contentType: 'text/event-stream',
    streamHeaders: tgiStreamHeaders(params),
    token(index, t) {
      if (!isLast(input, index)) return [sse(chunk(index, t))];
      const m = meta(t);
      if (!chat) {
        // The last completions event carries the raw token text, the EOS token's included.
        const last = tgiToken(input, index).text;
        return [sse(tgiCompletionFinal(m, last, tgiFinish(answer), usageOf(input))), SSE_DONE];
      }
      // EOS is special: the finish chunk's content is "" ; on length it is the last token's text.
      const writes = [sse(tgiChatChunk(m, answer.eos ? '' : pieceAt(input, index), tgiOpenAiFinish(answer)))];
      if (params.includeUsage) writes.push(sse(tgiChatUsage(m, usageOf(input))));
      writes.push(SSE_DONE);
      return writes;
    },
    failure: () => midStreamErrorWrites('tgi', params.api),
    malformed: (index, t) => sse(cutInHalf(chunk(index, t))),
    whole(t) {
      const text = answerText(answer);
      const body = chat
        ? tgiChatAnswer(meta(t), text, tgiOpenAiFinish(answer), usageOf(input))
        : tgiCompletionFinal(meta(t), text, tgiOpenAiFinish(answer), usageOf(input));
      return { contentType: 'application/json', body, headers: tgiTimingHeaders(input, t) };
    },
  };
}

// ---------------------------------------------------------------- Ollama

/**
 * The done line's metrics. Durations come from the llama-server runner's millisecond timings
 * (ms × 1e6, truncated). total_duration covers the whole request and is never less than
 * load + prompt_eval + eval.
 */
export function ollamaMetrics(input: WriterInput, t: AnswerTimes): OllamaMetrics {
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  // Finding the loaded runner takes a little time even when the model is warm.
  const loadDurationNs = Math.trunc(Math.max(0, t.submittedMs - t.arrivedMs) * 1e6) + 250_000;
  const promptEvalDurationNs = Math.trunc(us(t.prefillMs) * 1e6);
  const evalDurationNs = Math.trunc(us(t.nowMs - t.firstTokenMs) * 1e6);
  const measured = Math.trunc((t.nowMs - t.arrivedMs) * 1e6);
  return {
    doneReason: input.answer.finishReason,
    totalDurationNs: Math.max(measured, loadDurationNs + promptEvalDurationNs + evalDurationNs),
    loadDurationNs,
    promptEvalCount: input.params.promptTokens,
    promptEvalDurationNs,
    evalCount: input.answer.pieces.length,
    evalDurationNs,
  };
}

function ollamaWriter(input: WriterInput): AnswerWriter {
  const { params, answer } = input;
  const chat = params.api === 'chat';
  const model = params.responseModel;
  const line = (text: string, t: AnswerTimes) =>
    chat ? ollamaChatChunk(model, rfc3339Nano(t.nowEpochMs), text) : ollamaGenerateChunk(model, rfc3339Nano(t.nowEpochMs), text);
  const final = (text: string, t: AnswerTimes) => {
    const at = rfc3339Nano(t.nowEpochMs);
    const metrics = ollamaMetrics(input, t);
    if (chat) return ollamaChatFinal(model, at, text, metrics);
    // `context`: the prompt's token ids and the answer's, for the next call to continue from.
    const context = [...params.promptIds, ...tokenize(answerText(answer)).ids];
    return ollamaGenerateFinal(model, at, text, context, metrics);
  };
  return {
    contentType: 'application/x-ndjson',
    streamHeaders: {},
    token(index, t) {
      const text = pieceAt(input, index);
      const writes = text === '' ? [] : [ndjson(line(text, t))];
      if (isLast(input, index)) writes.push(ndjson(final('', t)));
      return writes;
    },
    failure: () => midStreamErrorWrites('ollama', params.api),
    malformed: (index, t) => ndjson(cutInHalf(line(pieceAt(input, index) || ' ', t))),
    whole: (t) => ({ contentType: 'application/json; charset=utf-8', body: final(answerText(answer), t), headers: {} }),
  };
}
