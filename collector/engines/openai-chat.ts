// Decoding of OpenAI-style answers (chat.completion.chunk, completions `choices[].text`,
// whole non-streaming answers) and of the error bodies these servers send. vLLM, llama.cpp,
// TGI's Messages API and generic OpenAI endpoints all speak this; engine quirks are options.
import { MalformedChunkError } from './engine.ts';
import type { EngineErrorInfo, ErrorClassification, StreamDecoder, StreamEvent } from './engine.ts';
import { createSseFramer } from '../framing/sse.ts';
import type { SseMessage } from '../framing/sse.ts';
import { formatSize, MAX_BUFFERED_BODY_CHARS, TooLargeError } from '../framing/caps.ts';

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Parses one framed message; anything that is not JSON is a MalformedChunkError. */
export function parseMessage(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (cause) {
    throw new MalformedChunkError(raw, { cause });
  }
}

/** The numeric fields of an object (engine timings), or undefined when there are none. */
export function numericFields(value: unknown, keys?: readonly string[]): Record<string, number> | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const out: Record<string, number> = {};
  for (const key of keys ?? Object.keys(record)) {
    const n = asNumber(record[key]);
    if (n !== undefined) out[key] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// ---- errors ----

/**
 * The error a parsed body states, in any shape these engines use: `{"error":"..."}` (vLLM 401,
 * Ollama, TGI with `error_type`), `{"error":{message,type,code}}` (vLLM, llama.cpp, OpenAI),
 * `{"error":{message,http_status_code}}` (TGI chat stream), flat `{"object":"error",...}` (vLLM <0.10.1).
 */
export function readError(body: unknown): EngineErrorInfo | undefined {
  const json = asRecord(body);
  if (!json) return undefined;
  const error = json['error'];
  if (typeof error === 'string') return withType({ message: error }, json['error_type']);
  const nested = asRecord(error);
  if (nested) {
    const info: EngineErrorInfo = { message: asString(nested['message']) ?? JSON.stringify(nested) };
    const code = asNumber(nested['code']) ?? asNumber(nested['http_status_code']);
    if (code !== undefined) info.code = code;
    return withType(info, nested['type']);
  }
  if (json['object'] === 'error') {
    const info: EngineErrorInfo = { message: asString(json['message']) ?? '' };
    const code = asNumber(json['code']);
    if (code !== undefined) info.code = code;
    return withType(info, json['type']);
  }
  return undefined;
}

function withType(info: EngineErrorInfo, type: unknown): EngineErrorInfo {
  if (typeof type === 'string') info.type = type;
  return info;
}

const CONTEXT_LIMIT =
  /context (length|size|window)|maximum context|`inputs` [^.]*tokens|must have less than \d+ tokens|prompt is too long/i;

/** ENGINE-PROTOCOLS §6, for an error seen before any output. `status` is the HTTP status when there is one. */
export function classifyError(info: EngineErrorInfo, status?: number): ErrorClassification {
  const code = status ?? info.code;
  const type = info.type ?? '';
  const message = info.message;
  if (code === 401 || code === 403 || /authentication|permission/i.test(type) || /^unauthori[sz]ed$/i.test(message.trim())) {
    return 'auth_error';
  }
  if (type === 'exceed_context_size_error' || CONTEXT_LIMIT.test(message)) return 'context_length_exceeded';
  const missingModel = /\bmodel\b.*\b(not found|does not exist)/i.test(message);
  if (missingModel || ((code === 404 || /not.?found/i.test(type)) && /model/i.test(`${type} ${message}`))) {
    return 'model_not_found';
  }
  if (code === 429 || type === 'overloaded' || /overloaded|server busy/i.test(message)) return 'overloaded';
  if (type === 'unavailable_error' || /^loading model/i.test(message)) return 'loading';
  if (type === 'healthcheck' || code === 503) return 'unhealthy';
  // TGI reports generation failures as 422 (chat stream) or 424: they are server faults.
  if (/^(Request failed during generation|Incomplete generation)/.test(message)) return 'server_error';
  if (code !== undefined && code >= 400 && code < 500) return 'bad_request';
  if (type === 'validation') return 'bad_request';
  return 'server_error';
}

/** An error event inside a stream: after any output it is a mid-stream failure whatever it says. */
export function streamError(info: EngineErrorInfo, sawOutput: boolean): StreamEvent {
  info.classification = sawOutput ? 'server_error_midstream' : classifyError(info);
  return { kind: 'error', error: info };
}

/** A non-2xx answer: the stated error when the body has one, else the raw text (trimmed, ≤500 chars). */
export function classifyHttpError(status: number, body: string): EngineErrorInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch {
    parsed = undefined;
  }
  const detail = asString(asRecord(parsed)?.['detail']); // FastAPI's own errors (vLLM)
  const info = readError(parsed) ?? { message: detail ?? (body.trim().slice(0, 500) || `HTTP ${status}`) };
  info.classification = classifyError(info, status);
  return info;
}

// ---- chunks ----

export interface OpenAiDecodeOptions {
  /** TGI's Messages API sends exactly one generated token per choice-bearing chunk. */
  tokenPerChoiceChunk?: boolean;
}

/** Text of streamed tool calls: function names and argument fragments, in order. */
export function toolCallText(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  let text = '';
  for (const call of value) {
    const fn = asRecord(asRecord(call)?.['function']);
    if (!fn) continue;
    text += asString(fn['name']) ?? '';
    const args = fn['arguments'];
    text += typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args);
  }
  return text;
}

/** Picks the primary kind: text-bearing kinds win over finish/usage. */
export function primaryKind(ev: StreamEvent, fallback: StreamEvent['kind']): StreamEvent['kind'] {
  if (ev.text) return 'content';
  if (ev.reasoning) return 'reasoning';
  if (ev.toolCall !== undefined) return 'tool-call';
  if (ev.finishReason !== undefined) return 'finish';
  return fallback;
}

function readUsage(value: unknown): StreamEvent['usage'] {
  const usage = asRecord(value);
  if (!usage) return undefined;
  const out: NonNullable<StreamEvent['usage']> = {};
  const prompt = asNumber(usage['prompt_tokens']);
  const completion = asNumber(usage['completion_tokens']);
  const cached = asNumber(asRecord(usage['prompt_tokens_details'])?.['cached_tokens']);
  if (prompt !== undefined) out.promptTokens = prompt;
  if (completion !== undefined) out.completionTokens = completion;
  if (cached !== undefined) out.cachedTokens = cached;
  return out;
}

/** One parsed OpenAI chunk (or whole answer, whose choice has `message` instead of `delta`). */
function decodeChunk(json: Json, options: OpenAiDecodeOptions): StreamEvent {
  const ev: StreamEvent = { kind: 'other' };
  const usage = readUsage(json['usage']); // `"usage":null` on TGI chunks means nothing
  if (usage) ev.usage = usage;
  const native = numericFields(json['timings']); // llama.cpp, on the last event
  if (native) ev.native = native;
  const choices = Array.isArray(json['choices']) ? (json['choices'] as unknown[]) : [];
  const choice = asRecord(choices[0]);
  if (!choice) {
    ev.kind = usage ? 'usage' : 'other';
    return ev;
  }
  if (options.tokenPerChoiceChunk) ev.tokens = 1;
  const delta = asRecord(choice['delta']) ?? asRecord(choice['message']) ?? {};
  const text = asString(delta['content']) ?? asString(choice['text']);
  const reasoning = asString(delta['reasoning_content']) ?? asString(delta['reasoning']);
  const toolCall = toolCallText(delta['tool_calls']);
  // TGI's /v1/completions sends finish_reason "" on every chunk: only a non-empty reason finishes.
  const finish = asString(choice['finish_reason']) || undefined;
  if (text) ev.text = text;
  if (reasoning) ev.reasoning = reasoning;
  if (toolCall !== undefined) ev.toolCall = toolCall;
  if (finish !== undefined) {
    ev.finishReason = finish;
    ev.completes = true;
  }
  ev.kind = primaryKind(ev, typeof delta['role'] === 'string' ? 'role' : 'other');
  return ev;
}

/** True when an event shows the engine generated something (text or a stated token). */
export function producedOutput(ev: StreamEvent): boolean {
  return Boolean(ev.text || ev.reasoning || ev.toolCall || ev.tokens);
}

/** One SSE `data:` message of an OpenAI-style stream. `sawOutput` decides mid-stream errors. */
export function decodeOpenAiData(data: string, sawOutput: boolean, options: OpenAiDecodeOptions = {}): StreamEvent[] {
  const trimmed = data.trim();
  if (trimmed === '') return [];
  if (trimmed === '[DONE]') return [{ kind: 'done', terminal: true }];
  const json = parseMessage(data);
  const error = readError(json);
  if (error) return [streamError(error, sawOutput)];
  const record = asRecord(json);
  return [record ? decodeChunk(record, options) : { kind: 'other' }];
}

/** The value of a non-standard SSE `error:` field (mid-2025 llama.cpp): JSON error or plain text. */
export function errorFieldInfo(raw: string): EngineErrorInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    parsed = undefined;
  }
  return readError(parsed) ?? readError({ error: parsed }) ?? { message: raw.trim().slice(0, 500) };
}

/** A whole answer as stream-like events: its text first, then one closing event with the rest. */
export function splitAnswer(ev: StreamEvent): StreamEvent[] {
  if (ev.kind === 'error') return [ev];
  const { text, reasoning, toolCall, tokens: _tokens, ...rest } = ev;
  const out: StreamEvent[] = [];
  if (reasoning) out.push({ kind: 'reasoning', reasoning });
  if (text) out.push({ kind: 'content', text });
  if (toolCall !== undefined) out.push({ kind: 'tool-call', toolCall });
  if (rest.finishReason !== undefined || rest.usage || rest.native || rest.completes) {
    out.push({ ...rest, kind: rest.finishReason !== undefined ? 'finish' : rest.usage ? 'usage' : 'other' });
  }
  return out;
}

/** A whole non-streaming OpenAI answer (chat `message` or completions `text`), or its error body. */
export function decodeOpenAiAnswer(body: string): StreamEvent[] {
  const json = parseMessage(body);
  const error = readError(json);
  if (error) return [streamError(error, false)];
  const record = asRecord(json);
  if (!record) throw new MalformedChunkError(body);
  return splitAnswer(decodeChunk(record, {}));
}

/**
 * A streaming SSE decoder. `decodeData` turns one `data:` message into events, knowing whether
 * output was already seen (an error after output is a mid-stream failure); a non-standard
 * `error:` field line is an error event whatever the engine.
 */
export function sseDecoder(decodeData: (data: string, sawOutput: boolean) => StreamEvent[]): StreamDecoder {
  const framer = createSseFramer();
  let sawOutput = false;
  // Plain loops: this runs once per streamed chunk.
  const run = (messages: SseMessage[]): StreamEvent[] => {
    if (messages.length === 1) return decodeOne(messages[0]!);
    const out: StreamEvent[] = [];
    for (const message of messages) for (const event of decodeOne(message)) out.push(event);
    return out;
  };
  const decodeOne = (message: SseMessage): StreamEvent[] => {
    const events = message.field === 'error' ? [streamError(errorFieldInfo(message.data), sawOutput)] : decodeData(message.data, sawOutput);
    if (!sawOutput) for (const event of events) if (producedOutput(event)) sawOutput = true;
    return events;
  };
  return { feed: (text) => run(framer.push(text)), end: () => run(framer.end()) };
}

/**
 * Non-streaming: keeps every piece and decodes the one body when it ends. Throws TooLargeError
 * once the body passes `maxChars` (default MAX_BUFFERED_BODY_CHARS).
 */
export function bufferedDecoder(decodeBody: (body: string) => StreamEvent[], maxChars = MAX_BUFFERED_BODY_CHARS): StreamDecoder {
  let parts: string[] = [];
  let chars = 0;
  return {
    feed(text) {
      chars += text.length;
      if (chars > maxChars) {
        parts = [];
        throw new TooLargeError(`the engine sent a whole answer larger than ${formatSize(maxChars)} (cap on a buffered body)`);
      }
      parts.push(text);
      return [];
    },
    end() {
      const body = parts.join('');
      parts = [];
      return decodeBody(body);
    },
  };
}

/** The decoder for an OpenAI-style chat or completions response. */
export function createOpenAiDecoder(stream: boolean, options: OpenAiDecodeOptions = {}): StreamDecoder {
  if (!stream) return bufferedDecoder(decodeOpenAiAnswer);
  return sseDecoder((data, sawOutput) => decodeOpenAiData(data, sawOutput, options));
}
