// The one interface every engine adapter implements. Adapters are plain objects
// (see index.ts); they know an engine's wire format but nothing about timing,
// load or storage: the request runner feeds them bytes and stamps the events.

export const EVENT_KINDS = [
  'role',
  'content',
  'reasoning',
  'tool-call',
  'finish',
  'usage',
  'error',
  'done',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What one framed message (an SSE `data:` event or an NDJSON line) meant. */
export interface StreamEvent {
  /** Primary class. Text-bearing kinds win over finish/usage when one event is both. */
  kind: EventKind;
  /** Visible answer text carried by this event ('' or absent when none). */
  text?: string;
  reasoning?: string;
  toolCall?: string;
  /** Generated tokens carried by this event, when the wire says so (TGI: 1 per token event). */
  tokens?: number;
  finishReason?: string;
  /** Final usage reported by the engine. */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number };
  /** Engine-native timings (Ollama durations in ns, llama.cpp `timings`), copied as numbers. */
  native?: Record<string, number>;
  /** Set on an engine error event. */
  error?: EngineErrorInfo;
  /** True when this event ends the stream by protocol (`[DONE]`, `done:true`, TGI details). */
  terminal?: boolean;
  /** True when the event carries a completion marker (finish reason, details, done:true). */
  completes?: boolean;
}

export interface EngineErrorInfo {
  message: string;
  type?: string;
  code?: number;
  /** Coarse class from shared/protocols ENGINE-PROTOCOLS §6, when recognised. */
  classification?: ErrorClassification;
}

export type ErrorClassification =
  | 'context_length_exceeded'
  | 'model_not_found'
  | 'overloaded'
  | 'unhealthy'
  | 'loading'
  | 'auth_error'
  | 'server_error_midstream'
  | 'bad_request'
  | 'server_error';

/** A stream decoder: feed it decoded text in arrival order, get the events each piece completed. */
export interface StreamDecoder {
  /** Returns the events completed by this text. Throws MalformedChunkError on a non-JSON message. */
  feed(text: string): StreamEvent[];
  /** Flushes a last message that had no trailing separator. */
  end(): StreamEvent[];
}

export class MalformedChunkError extends Error {
  readonly raw: string;
  constructor(raw: string, options?: { cause?: unknown }) {
    super(`malformed chunk: ${raw.slice(0, 200)}`, options);
    this.name = 'MalformedChunkError';
    this.raw = raw;
  }
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the collector asks for; adapters map it onto each engine's fields. */
export interface GenerationRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  seed?: number;
  /** Ask the engine to produce exactly maxTokens where it can (ignore_eos/min_tokens). */
  forceOutputLength: boolean;
  stream: boolean;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** What an engine said about itself. Every field is untrusted engine text. */
export interface EngineInfo {
  version?: string;
  model?: string;
  modelRevision?: string;
  maxModelTokens?: number;
  simulated: boolean;
  /** Raw bodies of the info endpoints, keyed by path, for the run file. */
  raw: Record<string, unknown>;
  /** Endpoints that failed to answer, with why. Never fatal. */
  problems: string[];
}

export type Fetcher = (call: HttpCall) => Promise<{ status: number; body: string }>;

export interface EngineAdapter {
  /** The name users type: `vllm`, `tgi`, `ollama`, `llamacpp`, `openai`. */
  kind: string;
  description: string;
  /** APIs this adapter can speak; the first is the default. */
  apis: readonly string[];
  /** The streaming (or not) generation call for one request. */
  buildRequest(api: string, req: GenerationRequest): HttpCall;
  /**
   * A fresh decoder per response. Streaming: SSE or NDJSON framing as the engine uses.
   * Non-streaming (stream=false): buffers the body and decodes the one JSON answer in end().
   */
  createDecoder(api: string, stream: boolean): StreamDecoder;
  /** Classify a non-2xx HTTP answer from its status and body text. */
  classifyHttpError(status: number, body: string): EngineErrorInfo;
  /** GET this path; any 2xx means healthy. */
  healthPath: string;
  /** Whether the engine can force output length (ignore_eos / min_tokens). */
  canForceOutputLength: boolean;
  /**
   * Query info endpoints; never throws for one failing endpoint (it goes to `problems`).
   * `simulated` is true when an info body carries `"servebench_simulated": true` at its top level,
   * which the built-in simulator sets and no real engine does.
   */
  describe(fetcher: Fetcher, model: string): Promise<EngineInfo>;
}
