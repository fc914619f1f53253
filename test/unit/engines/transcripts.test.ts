// Every stream transcript of the protocol fixtures, decoded by its adapter and checked against
// the `expected` block of its meta, fed whole and cut into pieces at every byte offset.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { StreamDecoder, StreamEvent } from '../../../collector/engines/engine.ts';
import { findEngine } from '../../../collector/engines/index.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/protocols/', import.meta.url));

interface Expected {
  text?: string;
  partial_text?: string;
  content_chunk_texts?: string[];
  content_chunks?: number;
  content_chunks_before_error?: number;
  token_events?: number;
  token_events_before_error?: number;
  finish_reason?: string | null;
  done_reason?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  cached_tokens?: number;
  input_length?: number;
  generated_tokens?: number;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration_ns?: number;
  load_duration_ns?: number;
  prompt_eval_duration_ns?: number;
  eval_duration_ns?: number;
  timings?: Record<string, number>;
  timings_on_event_index?: number;
  tokens_per_event?: number[];
  json_events?: number;
  lines?: number;
  sse_data_events_total?: number;
  role_chunks?: number;
  first_content_event_index?: number;
  usage_chunk?: boolean;
  done_sentinel?: boolean | null;
  done_sentinel_after_error?: boolean;
  error_event_index?: number;
  error_message?: string;
  error_type?: string;
  error_code?: number;
  error_http_status_code_field?: number;
  classification?: string;
}

/** transcript → [adapter, api] that produced it. */
const TRANSCRIPTS: Record<string, [string, string]> = {
  'vllm-chat-stream.sse': ['vllm', 'chat'],
  'vllm-error-midstream.sse': ['vllm', 'chat'],
  'tgi-generate-stream.sse': ['tgi', 'generate'],
  'tgi-error-midstream.sse': ['tgi', 'generate'],
  'tgi-chat-stream.sse': ['tgi', 'messages'],
  'tgi-chat-error-midstream.sse': ['tgi', 'messages'],
  'tgi-chat-stream-validation-error.sse': ['tgi', 'messages'],
  'ollama-chat-stream.ndjson': ['ollama', 'chat'],
  'ollama-generate-stream.ndjson': ['ollama', 'generate'],
  'ollama-error.ndjson': ['ollama', 'chat'],
  'llamacpp-chat-stream.sse': ['llamacpp', 'chat'],
  'llamacpp-error-midstream.sse': ['llamacpp', 'chat'],
};

function decoderFor(file: string): () => StreamDecoder {
  const [kind, api] = TRANSCRIPTS[file] ?? ['', ''];
  const adapter = findEngine(kind);
  if (!adapter) throw new Error(`no adapter for ${file}`);
  return () => adapter.createDecoder(api, true);
}

/** Feeds byte pieces through a streaming UTF-8 decoder, as the HTTP layer does. */
function decodePieces(make: () => StreamDecoder, pieces: Uint8Array[]): StreamEvent[] {
  const decoder = make();
  const utf8 = new TextDecoder('utf-8');
  const events: StreamEvent[] = [];
  for (const piece of pieces) events.push(...decoder.feed(utf8.decode(piece, { stream: true })));
  events.push(...decoder.feed(utf8.decode()));
  events.push(...decoder.end());
  return events;
}

function cutEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

function summarize(events: StreamEvent[]) {
  const messages = events.filter((e) => e.kind !== 'done');
  const content = events.filter((e) => e.kind === 'content');
  const errors = events.filter((e) => e.kind === 'error');
  let usage: StreamEvent['usage'] = {};
  let native: Record<string, number> = {};
  let finishReason: string | undefined;
  for (const e of events) {
    if (e.usage) usage = { ...usage, ...e.usage };
    if (e.native) native = { ...native, ...e.native };
    if (e.finishReason !== undefined) finishReason = e.finishReason;
  }
  return {
    messages,
    text: content.map((e) => e.text ?? '').join(''),
    contentTexts: content.map((e) => e.text),
    errors,
    usage,
    native,
    finishReason,
    done: events.some((e) => e.kind === 'done'),
    completed: events.some((e) => e.completes === true) && errors.length === 0,
  };
}

for (const file of Object.keys(TRANSCRIPTS)) {
  const bytes = new Uint8Array(readFileSync(FIXTURES + file));
  const meta = JSON.parse(readFileSync(FIXTURES + file.replace(/\.(sse|ndjson)$/, '.meta.json'), 'utf8')) as {
    expected: Expected;
  };
  const x = meta.expected;
  const make = decoderFor(file);
  const whole = decodePieces(make, [bytes]);
  const s = summarize(whole);

  describe(`${file} decoded by its adapter`, () => {
    it('yields the expected answer text', () => {
      // A transcript with no content chunks at all has no text to state.
      const text = x.text ?? x.partial_text ?? (x.content_chunks === 0 ? '' : undefined);
      expect(text).toBeDefined();
      expect(s.text).toBe(text);
      if (x.content_chunk_texts) expect(s.contentTexts).toEqual(x.content_chunk_texts);
    });

    it('yields one content event per non-empty text chunk', () => {
      const count = x.content_chunks ?? x.content_chunks_before_error ?? x.token_events ?? x.token_events_before_error;
      expect(count).toBeDefined();
      expect(s.contentTexts).toHaveLength(count ?? -1);
      if (x.first_content_event_index !== undefined) {
        expect(s.messages.findIndex((e) => e.kind === 'content')).toBe(x.first_content_event_index);
      }
      if (x.role_chunks !== undefined) expect(s.messages.filter((e) => e.kind === 'role')).toHaveLength(x.role_chunks);
    });

    it('yields one event per JSON message, plus one done event per [DONE]', () => {
      const json = x.json_events ?? x.lines ?? x.tokens_per_event?.length;
      if (json !== undefined) expect(s.messages).toHaveLength(json);
      if (x.sse_data_events_total !== undefined) expect(whole).toHaveLength(x.sse_data_events_total);
      const done = x.done_sentinel ?? x.done_sentinel_after_error ?? false;
      expect(s.done).toBe(done);
      if (s.done) expect(whole.at(-1)).toEqual({ kind: 'done', terminal: true });
    });

    it('reports the finish reason and the usage the engine stated', () => {
      const finish = x.finish_reason ?? x.done_reason ?? undefined;
      expect(s.finishReason).toBe(finish);
      const prompt = x.prompt_tokens ?? x.input_length ?? x.prompt_eval_count;
      const completion = x.completion_tokens ?? x.generated_tokens ?? x.eval_count;
      expect(s.usage?.promptTokens).toBe(prompt);
      expect(s.usage?.completionTokens).toBe(completion);
      if (x.cached_tokens !== undefined) expect(s.usage?.cachedTokens).toBe(x.cached_tokens);
      if (x.usage_chunk !== undefined) expect(s.messages.some((e) => e.kind === 'usage')).toBe(x.usage_chunk);
      expect(s.completed).toBe(s.errors.length === 0);
    });

    it('keeps the native timings as numbers', () => {
      if (x.timings) {
        expect(s.native).toEqual(x.timings);
        expect(s.messages.findIndex((e) => e.native !== undefined)).toBe(x.timings_on_event_index);
      } else if (x.eval_duration_ns !== undefined) {
        expect(s.native).toEqual({
          total_duration: x.total_duration_ns,
          load_duration: x.load_duration_ns,
          prompt_eval_count: x.prompt_eval_count,
          prompt_eval_duration: x.prompt_eval_duration_ns,
          eval_count: x.eval_count,
          eval_duration: x.eval_duration_ns,
        });
      } else {
        expect(s.native).toEqual({});
      }
    });

    it('reports the error message and its classification, or no error', () => {
      if (x.error_message === undefined) {
        expect(s.errors).toEqual([]);
        return;
      }
      expect(s.errors).toHaveLength(1);
      const error = s.errors[0]?.error;
      expect(error?.message).toBe(x.error_message);
      expect(error?.classification).toBe(x.classification);
      if (x.error_type !== undefined) expect(error?.type).toBe(x.error_type);
      const code = x.error_code ?? x.error_http_status_code_field;
      if (code !== undefined) expect(error?.code).toBe(code);
      if (x.error_event_index !== undefined) expect(s.messages.findIndex((e) => e.kind === 'error')).toBe(x.error_event_index);
      // Nothing after the error is a completion.
      expect(s.finishReason).toBeUndefined();
    });

    it('states per-event token counts only where they match tokens_per_event', () => {
      const perEvent = x.tokens_per_event;
      if (!perEvent) {
        expect(s.messages.filter((e) => e.kind !== 'error').every((e) => e.tokens === undefined || e.tokens === 1)).toBe(true);
        return;
      }
      expect(s.messages).toHaveLength(perEvent.length);
      s.messages.forEach((e, i) => {
        if (e.tokens !== undefined) expect(e.tokens, `event ${i}`).toBe(perEvent[i]);
      });
    });

    it('yields the same events when cut into two pieces at every byte offset', () => {
      for (let at = 0; at <= bytes.length; at += 1) {
        const events = decodePieces(make, [bytes.subarray(0, at), bytes.subarray(at)]);
        if (JSON.stringify(events) !== JSON.stringify(whole)) expect(events, `cut at byte ${at}`).toEqual(whole);
      }
    });

    it('yields the same events when fed a few bytes at a time', () => {
      for (const size of [1, 2, 3, 5, 7, 13, 64]) {
        expect(decodePieces(make, cutEvery(bytes, size)), `${size}-byte pieces`).toEqual(whole);
      }
    });

    it('flushes a last message that lost its closing terminator at end()', () => {
      const text = new TextDecoder().decode(bytes).replace(/\n+$/, '');
      expect(decodePieces(make, [new TextEncoder().encode(text)])).toEqual(whole);
    });

    if (file.endsWith('.sse')) {
      it('yields the same events with CRLF line ends and with `data:` written without a space', () => {
        const text = new TextDecoder().decode(bytes);
        const crlf = new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
        expect(decodePieces(make, [crlf])).toEqual(whole);
        expect(decodePieces(make, cutEvery(crlf, 1))).toEqual(whole);
        const tight = new TextEncoder().encode(text.replace(/^data: /gm, 'data:'));
        expect(decodePieces(make, cutEvery(tight, 3))).toEqual(whole);
      });
    }
  });
}
