// OpenAI-style JSON as vLLM, llama.cpp and TGI's Messages API write it: chat chunks, completions
// chunks and whole answers. Each engine has its own key order and quirks (see the transcripts in
// /work/shared/protocols); every function returns one JSON text, unframed. Key order follows
// object literal order, which JSON.stringify keeps.

export interface ChunkMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** TGI `<version>-<docker_label>`, llama.cpp `b<build>-<commit>`. */
  systemFingerprint?: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type FinishReason = string;

// ---------------------------------------------------------------- vLLM (0.10.2 – 0.12)

const vllmHead = (m: ChunkMeta, object: string) => ({ id: m.id, object, created: m.created, model: m.model });

/** First chunk, sent with the first token: `{"role":"assistant","content":""}` and `prompt_token_ids:null`. */
export function vllmChatRole(m: ChunkMeta): string {
  return JSON.stringify({
    ...vllmHead(m, 'chat.completion.chunk'),
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    prompt_token_ids: null,
  });
}

/** A content chunk; `text` may be '' (a token whose text is held back). */
export function vllmChatContent(m: ChunkMeta, text: string): string {
  return JSON.stringify({
    ...vllmHead(m, 'chat.completion.chunk'),
    choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null, token_ids: null }],
  });
}

/** The finish chunk: `content:""` on EOS, the last token's text on length; stop_reason = matched stop string. */
export function vllmChatFinish(m: ChunkMeta, text: string, finish: FinishReason, stopReason: string | null): string {
  return JSON.stringify({
    ...vllmHead(m, 'chat.completion.chunk'),
    choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: finish, stop_reason: stopReason, token_ids: null }],
  });
}

/** The include_usage chunk (exclude_none: no prompt_token_ids), usage keys prompt, total, completion. */
export function vllmUsageChunk(m: ChunkMeta, object: 'chat.completion.chunk' | 'text_completion', u: Usage): string {
  return JSON.stringify({ ...vllmHead(m, object), choices: [], usage: vllmUsage(u) });
}

function vllmUsage(u: Usage) {
  return { prompt_tokens: u.promptTokens, total_tokens: u.promptTokens + u.completionTokens, completion_tokens: u.completionTokens };
}

export function vllmChatAnswer(m: ChunkMeta, text: string, finish: FinishReason, stopReason: string | null, u: Usage): string {
  const message = {
    role: 'assistant',
    content: text,
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
    tool_calls: [],
    reasoning_content: null,
  };
  return JSON.stringify({
    ...vllmHead(m, 'chat.completion'),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish, stop_reason: stopReason, token_ids: null }],
    service_tier: null,
    system_fingerprint: null,
    usage: { ...vllmUsage(u), prompt_tokens_details: null },
    prompt_logprobs: null,
    prompt_token_ids: null,
    kv_transfer_params: null,
  });
}

/** A completions chunk (dumped with exclude_unset=False: every field, `usage:null`). */
export function vllmCompletionChunk(m: ChunkMeta, text: string, finish: FinishReason | null, stopReason: string | null): string {
  return JSON.stringify({
    ...vllmHead(m, 'text_completion'),
    choices: [{ index: 0, text, logprobs: null, finish_reason: finish, stop_reason: stopReason, prompt_token_ids: null, token_ids: null }],
    usage: null,
  });
}

export function vllmCompletionAnswer(m: ChunkMeta, text: string, finish: FinishReason, stopReason: string | null, u: Usage): string {
  return JSON.stringify({
    ...vllmHead(m, 'text_completion'),
    choices: [{ index: 0, text, logprobs: null, finish_reason: finish, stop_reason: stopReason, prompt_logprobs: null }],
    usage: { ...vllmUsage(u), prompt_tokens_details: null },
    kv_transfer_params: null,
  });
}

// ---------------------------------------------------------------- llama.cpp (llama-server, 2026 builds)

/** llama-server's `timings` object (all ms; counts include EOS). */
export interface LlamacppTimings {
  cache_n: number;
  prompt_n: number;
  prompt_ms: number;
  prompt_per_token_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_token_ms: number;
  predicted_per_second: number;
}

/** The timings object from prompt and generation durations, computed as llama-server does. */
export function llamacppTimings(promptTokens: number, promptMs: number, predicted: number, predictedMs: number): LlamacppTimings {
  // llama-server measures in whole microseconds; a zero duration would print inf (null in JSON).
  const pMs = Math.max(0.001, Math.round(promptMs * 1000) / 1000);
  const gMs = Math.max(0.001, Math.round(predictedMs * 1000) / 1000);
  return {
    cache_n: 0,
    prompt_n: promptTokens,
    prompt_ms: pMs,
    prompt_per_token_ms: pMs / Math.max(1, promptTokens),
    prompt_per_second: (1e3 / pMs) * promptTokens,
    predicted_n: predicted,
    predicted_ms: gMs,
    predicted_per_token_ms: gMs / Math.max(1, predicted),
    predicted_per_second: (1e3 / gMs) * predicted,
  };
}

// Key order: choices, created, id, model, system_fingerprint, object (nlohmann ordered_json).
function llamacppChunk(m: ChunkMeta, choices: unknown[], object: string, tail: Record<string, unknown> = {}): string {
  return JSON.stringify({ choices, created: m.created, id: m.id, model: m.model, system_fingerprint: m.systemFingerprint, object, ...tail });
}

function llamacppUsage(u: Usage) {
  return {
    completion_tokens: u.completionTokens,
    prompt_tokens: u.promptTokens,
    total_tokens: u.promptTokens + u.completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

/** The role chunk, `content:null`, sent together with the first token's chunk. */
export function llamacppChatRole(m: ChunkMeta): string {
  return llamacppChunk(m, [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }], 'chat.completion.chunk');
}

export function llamacppChatContent(m: ChunkMeta, text: string): string {
  return llamacppChunk(m, [{ finish_reason: null, index: 0, delta: { content: text } }], 'chat.completion.chunk');
}

/** The finish chunk has an empty delta; `timings` go on it when it is the last event. */
export function llamacppChatFinish(m: ChunkMeta, finish: FinishReason, timings?: LlamacppTimings): string {
  return llamacppChunk(m, [{ finish_reason: finish, index: 0, delta: {} }], 'chat.completion.chunk', timings ? { timings } : {});
}

export function llamacppChatUsage(m: ChunkMeta, u: Usage, timings: LlamacppTimings): string {
  return llamacppChunk(m, [], 'chat.completion.chunk', { usage: llamacppUsage(u), timings });
}

export function llamacppChatAnswer(m: ChunkMeta, text: string, finish: FinishReason, u: Usage, timings: LlamacppTimings): string {
  return JSON.stringify({
    choices: [{ finish_reason: finish, index: 0, message: { role: 'assistant', content: text } }],
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    object: 'chat.completion',
    usage: llamacppUsage(u),
    id: m.id,
    timings,
  });
}

export function llamacppCompletionChunk(m: ChunkMeta, text: string): string {
  return JSON.stringify({
    choices: [{ text, index: 0, logprobs: null, finish_reason: null }],
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    object: 'text_completion',
    id: m.id,
  });
}

/** The final completions result: the stream's last event (text '') or the whole answer. */
export function llamacppCompletionFinal(m: ChunkMeta, text: string, finish: FinishReason, u: Usage, timings: LlamacppTimings): string {
  return JSON.stringify({
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    object: 'text_completion',
    usage: llamacppUsage(u),
    id: m.id,
    timings,
  });
}

// ---------------------------------------------------------------- TGI Messages API and /v1/completions (3.x)

// serde's internally tagged enums put "object" first; TGI's ids are always "".
function tgiUsage(u: Usage) {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens };
}

/** Every Messages API chunk carries role + one token; the finish chunk carries the reason. */
export function tgiChatChunk(m: ChunkMeta, text: string, finish: FinishReason | null): string {
  return JSON.stringify({
    object: 'chat.completion.chunk',
    id: '',
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    choices: [{ index: 0, delta: { role: 'assistant', content: text }, logprobs: null, finish_reason: finish }],
    usage: null,
  });
}

export function tgiChatUsage(m: ChunkMeta, u: Usage): string {
  return JSON.stringify({
    object: 'chat.completion.chunk',
    id: '',
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    choices: [],
    usage: tgiUsage(u),
  });
}

export function tgiChatAnswer(m: ChunkMeta, text: string, finish: FinishReason, u: Usage): string {
  return JSON.stringify({
    object: 'chat.completion',
    id: '',
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: finish }],
    usage: tgiUsage(u),
  });
}

/** A /v1/completions stream chunk: `finish_reason` is "" (not null) until the last one. */
export function tgiCompletionChunk(m: ChunkMeta, text: string): string {
  return JSON.stringify({
    object: 'text_completion',
    id: '',
    created: m.created,
    choices: [{ index: 0, text, logprobs: null, finish_reason: '' }],
    model: m.model,
    system_fingerprint: m.systemFingerprint,
  });
}

/**
 * The last /v1/completions event, or the whole answer. In the stream the finish reason is the raw
 * one (`eos_token`, `length`, `stop_sequence`) and the text is the last token's (the EOS token's
 * text included); the whole answer maps EOS to `stop`.
 */
export function tgiCompletionFinal(m: ChunkMeta, text: string, finish: FinishReason, u: Usage): string {
  return JSON.stringify({
    object: 'text_completion',
    id: '',
    created: m.created,
    model: m.model,
    system_fingerprint: m.systemFingerprint,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
    usage: tgiUsage(u),
  });
}
