// Error answers as each engine writes them: HTTP error bodies (status, content type, exact JSON)
// and the events a stream ends with when generation fails after output was sent.
// Shapes follow /work/shared/protocols (ENGINE-PROTOCOLS.md §2.4, §3.4, §4.4, §5.4 and the
// *-http-error-*.json / *-midstream transcripts). Where an engine has no such error at all (vLLM
// and llama.cpp never answer 429, Ollama never 429), the body is the engine's usual shape with a
// plausible message: only the fault injector asks for those.
import type { SimKind } from '../types.ts';
import { goJson, pythonJsonDumps, sse, SSE_DONE } from './framing.ts';

export interface Reply {
  status: number;
  /** null: no content-type header (empty bodies). */
  contentType: string | null;
  body: string;
  headers?: Record<string, string>;
}

const JSON_TYPE = 'application/json';
// gin (Ollama) and cpp-httplib as llama-server uses it both add a charset.
const JSON_UTF8 = 'application/json; charset=utf-8';

// ---- bodies ----

/** vLLM ≥0.10.1: `{"error":{"message","type","param","code"}}`, HTTP status = code (starlette, compact). */
export function vllmError(status: number, type: string, message: string, param: string | null = null): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify({ error: { message, type, param, code: status } }) };
}

/** TGI: `{"error","error_type"}` (axum Json). */
export function tgiError(status: number, errorType: string, message: string): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify({ error: message, error_type: errorType }) };
}

/** Ollama: gin's `{"error":"..."}`, Go-escaped. */
export function ollamaError(status: number, message: string): Reply {
  return { status, contentType: JSON_UTF8, body: goJson({ error: message }) };
}

/** llama.cpp: `{"error":{"code","message","type"}}` plus extra fields for some types. */
export function llamacppError(status: number, type: string, message: string, extra: Record<string, number> = {}): Reply {
  return { status, contentType: JSON_UTF8, body: JSON.stringify({ error: { code: status, message, type, ...extra } }) };
}

// ---- routing ----

/** An unknown path, as each server's framework answers it. */
export function routeNotFound(kind: SimKind): Reply {
  switch (kind) {
    case 'vllm': // FastAPI's default handler
      return { status: 404, contentType: JSON_TYPE, body: '{"detail":"Not Found"}' };
    case 'tgi': // axum: empty 404
      return { status: 404, contentType: null, body: '' };
    case 'ollama': // gin's NoRoute default
      return { status: 404, contentType: 'text/plain', body: '404 page not found' };
    case 'llamacpp':
      return llamacppError(404, 'not_found_error', 'File Not Found');
  }
}

/** A known path with the wrong method. gin and llama-server do not distinguish it from a 404. */
export function methodNotAllowed(kind: SimKind): Reply {
  if (kind === 'vllm') return { status: 405, contentType: JSON_TYPE, body: '{"detail":"Method Not Allowed"}' };
  if (kind === 'tgi') return { status: 405, contentType: null, body: '' };
  return routeNotFound(kind);
}

// ---- request problems ----

/** A body that is not JSON. */
export function badJson(kind: SimKind, raw: string): Reply {
  const first = raw.trimStart()[0];
  switch (kind) {
    case 'vllm': // RequestValidationError handler: pydantic's error list as the message
      return vllmError(400, 'Bad Request', `[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': 'Expecting value'}}]`);
    case 'tgi': // axum's JsonRejection::JsonSyntaxError, plain text
      return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'Failed to parse the request body as JSON: expected value at line 1 column 1' };
    case 'ollama':
      return first === undefined
        ? ollamaError(400, 'missing request body')
        : ollamaError(400, `invalid character '${first}' looking for beginning of value`);
    case 'llamacpp':
      return llamacppError(400, 'invalid_request_error', `[json.exception.parse_error.101] parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: '${first ?? ''}'`);
  }
}

/** A required field is missing or has the wrong type. */
export function invalidField(kind: SimKind, field: string): Reply {
  switch (kind) {
    case 'vllm':
      return vllmError(400, 'Bad Request', `[{'type': 'missing', 'loc': ('body', '${field}'), 'msg': 'Field required', 'input': {}}]`);
    case 'tgi': // axum's JsonRejection::JsonDataError
      return { status: 422, contentType: 'text/plain; charset=utf-8', body: `Failed to deserialize the JSON body into the target type: missing field \`${field}\` at line 1 column 2` };
    case 'ollama':
      return ollamaError(400, field === 'model' ? 'model is required' : `invalid ${field}`);
    case 'llamacpp':
      return llamacppError(400, 'invalid_request_error', `"${field}" must be provided`);
  }
}

/** vLLM and Ollama check the model name; TGI and llama.cpp serve whatever is asked for. */
export function modelNotFound(kind: 'vllm' | 'ollama', model: string): Reply {
  if (kind === 'ollama') return ollamaError(404, `model '${model}' not found`);
  return vllmError(404, 'NotFoundError', `The model \`${model}\` does not exist.`, 'model');
}

// ---- load and faults ----

export const OLLAMA_BUSY = 'server busy, please try again.  maximum pending requests exceeded';
export const TGI_OVERLOADED = 'Model is overloaded';

/** The queue is full (TGI, Ollama): what a non-streaming request gets. */
export function overloaded(kind: SimKind): Reply {
  if (kind === 'tgi') return tgiError(429, 'overloaded', TGI_OVERLOADED);
  if (kind === 'ollama') return ollamaError(503, OLLAMA_BUSY);
  if (kind === 'llamacpp') return llamacppError(503, 'unavailable_error', 'Server busy');
  return vllmError(503, 'ServiceUnavailableError', 'The server is overloaded, please try again later.');
}

/** An injected HTTP error before any output, in the engine's shape, with Retry-After when given. */
export function faultReply(kind: SimKind, status: 500 | 503 | 429, retryAfterS?: number): Reply {
  let reply: Reply;
  if (status === 429) {
    reply = kind === 'tgi' || kind === 'ollama'
      ? { ...overloaded(kind), status: 429 }
      : kind === 'llamacpp'
        ? llamacppError(429, 'unavailable_error', 'Too many requests')
        : vllmError(429, 'RateLimitError', 'Too many requests, please try again later.');
  } else if (status === 503) {
    reply = kind === 'tgi'
      ? tgiError(503, 'healthcheck', 'unhealthy')
      : kind === 'ollama'
        ? ollamaError(503, OLLAMA_BUSY)
        : kind === 'llamacpp'
          ? llamacppError(503, 'unavailable_error', 'Loading model')
          : vllmError(503, 'ServiceUnavailableError', 'The server is not ready to accept requests.');
  } else {
    // TGI's generation failures are 424; a plain 500 from TGI is an incomplete generation.
    reply = kind === 'tgi' ? tgiError(500, 'incomplete_generation', 'Incomplete generation') : generationFailed(kind);
  }
  if (retryAfterS !== undefined) reply = { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfterS) } };
  return reply;
}

// ---- generation failures ----

export const VLLM_ENGINE_DEAD = 'EngineCore encountered an issue. See stack trace (above) for the root cause.';
export const TGI_GENERATION_FAILED =
  'Request failed during generation: Server error: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process has 78.12 GiB memory in use.';
export const OLLAMA_RUNNER_STOPPED =
  'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';
export const LLAMACPP_COMPUTE_ERROR = 'Compute error.';

/** Generation failed before the (non-streamed) answer was sent: the engine's HTTP error. */
export function generationFailed(kind: SimKind): Reply {
  switch (kind) {
    case 'vllm':
      return vllmError(500, 'InternalServerError', VLLM_ENGINE_DEAD);
    case 'tgi':
      return tgiError(424, 'generation', TGI_GENERATION_FAILED);
    case 'ollama':
      return ollamaError(500, OLLAMA_RUNNER_STOPPED);
    case 'llamacpp':
      return llamacppError(500, 'server_error', LLAMACPP_COMPUTE_ERROR);
  }
}

/** The APIs whose streams end with `[DONE]` after an error (OpenAI-style), per engine. */
export type StreamApi = 'chat' | 'completions' | 'generate' | 'messages';

/**
 * The writes of a mid-stream failure, each one socket write; the stream ends after them.
 * vLLM: json.dumps-spaced error + [DONE]. TGI generate: `{"error","error_type"}`, no sentinel.
 * TGI Messages/completions: `{"error":{"message","http_status_code":422}}` + [DONE]. Ollama: an
 * `{"error":"..."}` line. llama.cpp: `{"error":{code,message,type}}` and no [DONE].
 */
export function midStreamErrorWrites(kind: SimKind, api: StreamApi): string[] {
  switch (kind) {
    case 'vllm':
      return [sse(pythonJsonDumps({ error: { message: VLLM_ENGINE_DEAD, type: 'InternalServerError', param: null, code: 500 } })), SSE_DONE];
    case 'tgi':
      return tgiStreamErrorWrites(api, 'generation', TGI_GENERATION_FAILED);
    case 'ollama':
      return [`${goJson({ error: OLLAMA_RUNNER_STOPPED })}\n`];
    case 'llamacpp':
      return [sse(JSON.stringify({ error: { code: 500, message: LLAMACPP_COMPUTE_ERROR, type: 'server_error' } }))];
  }
}

/**
 * A TGI error inside an HTTP 200 stream: TGI validates and queues streaming requests inside the
 * stream, so a too-long prompt or a full queue arrives as the only event.
 */
export function tgiStreamErrorWrites(api: StreamApi, errorType: string, message: string): string[] {
  if (api === 'generate') return [sse(JSON.stringify({ error: message, error_type: errorType }))];
  // into_openai_event: http_status_code is always 422 whatever the cause.
  return [sse(JSON.stringify({ error: { message, http_status_code: 422 } })), SSE_DONE];
}
