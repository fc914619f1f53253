// The simulator's protocol builders rebuild every stream transcript of the protocol fixtures byte
// for byte, from the values in the transcript (ids, texts, times, counts): key order, separators,
// escaping, number formatting and framing all have to match the engines' own serializers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { midStreamErrorWrites, tgiStreamErrorWrites } from '../../../../collector/sim/protocols/errors.ts';
import { sse, SSE_DONE, SSE_KEEPALIVE, ndjson } from '../../../../collector/sim/protocols/framing.ts';
import {
  llamacppChatContent,
  llamacppChatFinish,
  llamacppChatRole,
  llamacppChatUsage,
  llamacppTimings,
  tgiChatChunk,
  tgiChatUsage,
  vllmChatContent,
  vllmChatFinish,
  vllmChatRole,
  vllmUsageChunk,
  type ChunkMeta,
} from '../../../../collector/sim/protocols/openai-chat.ts';
import { ollamaChatChunk, ollamaChatFinal, ollamaGenerateChunk, ollamaGenerateFinal } from '../../../../collector/sim/protocols/ollama.ts';
import { tgiTokenEvent } from '../../../../collector/sim/protocols/tgi-generate.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/protocols/', import.meta.url));
const text = (name: string) => readFileSync(FIXTURES + name, 'utf8');

type Json = Record<string, any>;
/** The JSON of every `data:` event (not [DONE]) of an SSE transcript. */
const sseJson = (name: string): Json[] =>
  text(name)
    .split('\n\n')
    .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
    .map((e) => JSON.parse(e.slice(6)) as Json);
const ndjsonLines = (name: string): Json[] =>
  text(name)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);

describe('vLLM chat transcripts', () => {
  const events = sseJson('vllm-chat-stream.sse');
  const first = events[0]!;
  const meta: ChunkMeta = { id: first['id'], created: first['created'], model: first['model'] };

  it('vllm-chat-stream.sse: role chunk, content chunks (held-back "" included), finish, usage, [DONE]', () => {
    const contents = events.slice(1, -2).map((e) => e['choices'][0]['delta']['content'] as string);
    const usage = events.at(-1)!['usage'];
    const rebuilt = [
      sse(vllmChatRole(meta)),
      ...contents.map((t) => sse(vllmChatContent(meta, t))),
      sse(vllmChatFinish(meta, '', 'stop', null)),
      sse(vllmUsageChunk(meta, 'chat.completion.chunk', { promptTokens: usage['prompt_tokens'], completionTokens: usage['completion_tokens'] })),
      SSE_DONE,
    ].join('');
    expect(rebuilt).toBe(text('vllm-chat-stream.sse'));
  });

  it('vllm-error-midstream.sse: content, then the json.dumps-spaced error and [DONE]', () => {
    const partial = sseJson('vllm-error-midstream.sse').slice(1, -1);
    const rebuilt = [
      sse(vllmChatRole(meta)),
      ...partial.map((e) => sse(vllmChatContent(meta, e['choices'][0]['delta']['content']))),
      ...midStreamErrorWrites('vllm', 'chat'),
    ].join('');
    expect(rebuilt).toBe(text('vllm-error-midstream.sse'));
  });
});

describe('TGI transcripts', () => {
  it('tgi-chat-stream.sse: role+token chunks with per-chunk created, finish "stop" with "", usage, [DONE]', () => {
    const events = sseJson('tgi-chat-stream.sse');
    const meta = (e: Json): ChunkMeta => ({ id: '', created: e['created'], model: e['model'], systemFingerprint: e['system_fingerprint'] });
    const rebuilt = events.map((e) => {
      if (e['choices'].length === 0) return sse(tgiChatUsage(meta(e), { promptTokens: e['usage']['prompt_tokens'], completionTokens: e['usage']['completion_tokens'] }));
      const choice = e['choices'][0];
      return sse(tgiChatChunk(meta(e), choice['delta']['content'], choice['finish_reason']));
    });
    expect(rebuilt.join('') + SSE_DONE).toBe(text('tgi-chat-stream.sse'));
  });

  it('tgi-chat-error-midstream.sse: the OpenAI-shaped error with http_status_code 422, then [DONE]', () => {
    const events = sseJson('tgi-chat-error-midstream.sse').slice(0, -1);
    const rebuilt = events.map((e) => sse(tgiChatChunk({ id: '', created: e['created'], model: e['model'], systemFingerprint: e['system_fingerprint'] }, e['choices'][0]['delta']['content'], null)));
    expect([...rebuilt, ...midStreamErrorWrites('tgi', 'messages')].join('')).toBe(text('tgi-chat-error-midstream.sse'));
  });

  it('tgi-chat-stream-validation-error.sse: HTTP 200 stream whose only event is the validation error', () => {
    const message = sseJson('tgi-chat-stream-validation-error.sse')[0]!['error']['message'];
    expect(tgiStreamErrorWrites('messages', 'validation', message).join('')).toBe(text('tgi-chat-stream-validation-error.sse'));
  });

  const tokenEvents = (name: string) =>
    sseJson(name).filter((e) => e['token'] !== undefined).map((e) => {
      const t = e['token'];
      const d = e['details'];
      return sse(
        tgiTokenEvent(e['index'], { id: t['id'], text: t['text'], logprob: t['logprob'], special: t['special'] }, e['generated_text'], d === null
          ? null
          : { finishReason: d['finish_reason'], generatedTokens: d['generated_tokens'], seed: d['seed'], inputLength: d['input_length'] }),
      );
    });

  it('tgi-generate-stream.sse: keep-alive comment, token events with f32 logprobs, details on the last, no [DONE]', () => {
    expect(SSE_KEEPALIVE + tokenEvents('tgi-generate-stream.sse').join('')).toBe(text('tgi-generate-stream.sse'));
  });

  it('tgi-error-midstream.sse: token events then {"error","error_type":"generation"} and the end', () => {
    expect([...tokenEvents('tgi-error-midstream.sse'), ...midStreamErrorWrites('tgi', 'generate')].join('')).toBe(text('tgi-error-midstream.sse'));
  });
});

describe('Ollama transcripts', () => {
  const metricsOf = (e: Json) => ({
    doneReason: e['done_reason'],
    totalDurationNs: e['total_duration'],
    loadDurationNs: e['load_duration'],
    promptEvalCount: e['prompt_eval_count'],
    promptEvalDurationNs: e['prompt_eval_duration'],
    evalCount: e['eval_count'],
    evalDurationNs: e['eval_duration'],
  });

  it('ollama-chat-stream.ndjson: Go-escaped lines (" \\u0026"), then done:true with ns metrics', () => {
    const lines = ndjsonLines('ollama-chat-stream.ndjson');
    const rebuilt = lines.map((e) =>
      e['done'] ? ollamaChatFinal(e['model'], e['created_at'], '', metricsOf(e)) : ollamaChatChunk(e['model'], e['created_at'], e['message']['content']),
    );
    expect(rebuilt.map(ndjson).join('')).toBe(text('ollama-chat-stream.ndjson'));
  });

  it('ollama-generate-stream.ndjson: `response` lines, then context before the metrics', () => {
    const lines = ndjsonLines('ollama-generate-stream.ndjson');
    const rebuilt = lines.map((e) =>
      e['done']
        ? ollamaGenerateFinal(e['model'], e['created_at'], '', e['context'], metricsOf(e))
        : ollamaGenerateChunk(e['model'], e['created_at'], e['response']),
    );
    expect(rebuilt.map(ndjson).join('')).toBe(text('ollama-generate-stream.ndjson'));
  });

  it('ollama-error.ndjson: chunks, then one {"error"} line and no done line', () => {
    const lines = ndjsonLines('ollama-error.ndjson').slice(0, -1);
    const rebuilt = lines.map((e) => ndjson(ollamaChatChunk(e['model'], e['created_at'], e['message']['content'])));
    expect([...rebuilt, ...midStreamErrorWrites('ollama', 'chat')].join('')).toBe(text('ollama-error.ndjson'));
  });
});

describe('llama.cpp transcripts', () => {
  const events = sseJson('llamacpp-chat-stream.sse');
  const first = events[0]!;
  const meta: ChunkMeta = { id: first['id'], created: first['created'], model: first['model'], systemFingerprint: first['system_fingerprint'] };
  const metaOf = (e: Json): ChunkMeta => ({ ...meta, created: e['created'] });

  it('computes timings exactly as llama-server does', () => {
    const t = events.at(-1)!['timings'];
    expect(llamacppTimings(t['prompt_n'], t['prompt_ms'], t['predicted_n'], t['predicted_ms'])).toEqual(t);
  });

  it('llamacpp-chat-stream.sse: content:null role chunk, {} finish, usage with timings last, [DONE]', () => {
    const last = events.at(-1)!;
    const contents = events.slice(1, -2);
    const t = last['timings'];
    const rebuilt = [
      sse(llamacppChatRole(metaOf(first))),
      ...contents.map((e) => sse(llamacppChatContent(metaOf(e), e['choices'][0]['delta']['content']))),
      sse(llamacppChatFinish(metaOf(events.at(-2)!), 'stop')),
      sse(
        llamacppChatUsage(
          metaOf(last),
          { promptTokens: last['usage']['prompt_tokens'], completionTokens: last['usage']['completion_tokens'] },
          llamacppTimings(t['prompt_n'], t['prompt_ms'], t['predicted_n'], t['predicted_ms']),
        ),
      ),
      SSE_DONE,
    ].join('');
    expect(rebuilt).toBe(text('llamacpp-chat-stream.sse'));
  });

  it('llamacpp-error-midstream.sse: {"error":{"code":500,...}} and no [DONE]', () => {
    const partial = sseJson('llamacpp-error-midstream.sse').slice(1, -1);
    const rebuilt = [
      sse(llamacppChatRole(meta)),
      ...partial.map((e) => sse(llamacppChatContent(metaOf(e), e['choices'][0]['delta']['content']))),
      ...midStreamErrorWrites('llamacpp', 'chat'),
    ].join('');
    expect(rebuilt).toBe(text('llamacpp-error-midstream.sse'));
  });
});
