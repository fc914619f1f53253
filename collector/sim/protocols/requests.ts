// Generation requests as each engine reads them: which fields set the output cap, forced length,
// stop strings, seed, streaming and usage reporting, and how each engine refuses a bad request.
// Pure: a JSON body in, normalised parameters or the engine's own error out.
import type { SimKind } from '../types.ts';
import { chatPromptTokens, renderChatTemplate, textPromptTokens, tokenize, type TemplateMessage } from '../text/tokenizer.ts';
import { invalidField, llamacppError, modelNotFound, tgiError, tgiStreamErrorWrites, vllmError, type Reply } from './errors.ts';

/** The generation APIs: OpenAI chat and completions, TGI's native generate, TGI's Messages API. */
export type Api = 'chat' | 'completions' | 'generate' | 'messages';

export interface GenerationParams {
  api: Api;
  stream: boolean;
  /** What the answer depends on besides the seed: the prompt text (chat messages joined). */
  promptText: string;
  promptTokens: number;
  /** Prompt token ids (Ollama generate returns them in `context`). */
  promptIds: number[];
  /** Output cap after the engine's defaults and context limit: always ≥ 1. */
  maxTokens: number;
  /** ignore_eos (or min_tokens ≥ max_tokens): exactly maxTokens tokens. */
  force: boolean;
  minTokens: number;
  stop: string[];
  seed: number | null;
  /** Stream a usage chunk (stream_options.include_usage). */
  includeUsage: boolean;
  /** The model name the answer reports. */
  responseModel: string;
  /** TGI native: `details` asked for, prompt prepended to generated_text, sampling on. */
  details: boolean;
  returnFullText: boolean;
  sampling: boolean;
  /** The request's input characters (TGI's x-compute-characters). */
  inputChars: number;
  /** Ollama: an empty prompt or message list only loads the model. */
  loadOnly: boolean;
}

/** A refused request: an HTTP error, or (TGI streams) HTTP 200 and the error as the stream's only event. */
export type Refusal = { kind: 'http'; reply: Reply } | { kind: 'stream'; writes: string[]; message: string };
export type ParseResult = { ok: true; params: GenerationParams } | { ok: false; refusal: Refusal };

export interface ServedModel {
  model: string;
  /** Context window per request, tokens. */
  contextTokens: number;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** `stop` as a string or a list of strings. */
function stopList(v: unknown): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

/** Message content as a string or a list of `{type:"text", text}` parts. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('');
  }
  return '';
}

function readMessages(v: unknown): TemplateMessage[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((m) => (isRecord(m) ? { role: str(m['role']) ?? 'user', content: messageText(m['content']) } : { role: 'user', content: '' }));
}

/** A completions prompt: a string, or the first of a list of strings. */
function readPrompt(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

const joinMessages = (messages: TemplateMessage[]) => messages.map((m) => m.content).join('\n\n');

function base(api: Api, stream: boolean, served: ServedModel): GenerationParams {
  return {
    api,
    stream,
    promptText: '',
    promptTokens: 0,
    promptIds: [],
    maxTokens: 1,
    force: false,
    minTokens: 0,
    stop: [],
    seed: null,
    includeUsage: false,
    responseModel: served.model,
    details: false,
    returnFullText: false,
    sampling: false,
    inputChars: 0,
    loadOnly: false,
  };
}

const http = (reply: Reply): ParseResult => ({ ok: false, refusal: { kind: 'http', reply } });

// ---------------------------------------------------------------- vLLM

export function parseVllm(api: 'chat' | 'completions', body: Json, served: ServedModel): ParseResult {
  const model = str(body['model']);
  let promptText: string;
  let promptTokens: number;
  if (api === 'chat') {
    const messages = readMessages(body['messages']);
    if (!messages) return http(invalidField('vllm', 'messages'));
    promptText = joinMessages(messages);
    promptTokens = chatPromptTokens(messages);
  } else {
    const prompt = readPrompt(body['prompt']);
    if (prompt === undefined) return http(invalidField('vllm', 'prompt'));
    promptText = prompt;
    promptTokens = textPromptTokens(prompt);
  }
  if (model !== undefined && model !== served.model) return http(modelNotFound('vllm', model));
  const stream = bool(body['stream']) ?? false;
  if (body['stream_options'] !== undefined && body['stream_options'] !== null && !stream) {
    return http(vllmError(400, 'BadRequestError', 'Stream options can only be defined when `stream=True`.'));
  }
  // max_completion_tokens wins over the deprecated max_tokens; completions default to 16 (OpenAI's).
  const asked = int(body['max_completion_tokens']) ?? int(body['max_tokens']) ?? (api === 'completions' ? 16 : undefined);
  if (asked !== undefined && asked < 1) return http(vllmError(400, 'BadRequestError', `max_tokens must be at least 1, got ${asked}.`));
  const limit = served.contextTokens;
  if (promptTokens >= limit || promptTokens + (asked ?? 0) > limit) {
    const requested = asked ?? 0;
    return http(
      vllmError(
        400,
        'BadRequestError',
        `You passed ${promptTokens} input tokens and requested ${requested} output tokens. However, the model's context length is only ${limit} tokens, resulting in a maximum input length of ${limit - requested} tokens. Please reduce the length of the input prompt.`,
        'input_tokens',
      ),
    );
  }
  const params = base(api, stream, served);
  params.promptText = promptText;
  params.promptTokens = promptTokens;
  params.maxTokens = asked ?? limit - promptTokens;
  params.minTokens = Math.max(0, int(body['min_tokens']) ?? 0);
  params.force = bool(body['ignore_eos']) === true || params.minTokens >= params.maxTokens;
  params.stop = stopList(body['stop']);
  params.seed = int(body['seed']) ?? null;
  const options = body['stream_options'];
  // StreamOptions.include_usage defaults to true once the object is sent.
  params.includeUsage = stream && isRecord(options) && options['include_usage'] !== false;
  return { ok: true, params };
}

// ---------------------------------------------------------------- TGI

/** A TGI validation error: HTTP 422 for a plain request, HTTP 200 + error event for a stream. */
function tgiValidation(api: Api, stream: boolean, message: string): ParseResult {
  const full = `Input validation error: ${message}`;
  if (stream) return { ok: false, refusal: { kind: 'stream', writes: tgiStreamErrorWrites(api, 'validation', full), message: full } };
  return http(tgiError(422, 'validation', full));
}

/** TGI's length checks (router/src/validation.rs), shared by its three APIs. */
function tgiLimits(api: Api, stream: boolean, inputTokens: number, asked: number | undefined, served: ServedModel, params: GenerationParams): ParseResult {
  const maxTotal = served.contextTokens;
  const maxInput = maxTotal - 1;
  if (asked !== undefined && asked < 1) return tgiValidation(api, stream, '`max_new_tokens` must be strictly positive');
  if (inputTokens > maxInput) return tgiValidation(api, stream, `\`inputs\` must have less than ${maxInput} tokens. Given: ${inputTokens}`);
  const maxNew = asked ?? maxTotal - inputTokens;
  if (inputTokens + maxNew > maxTotal) {
    return tgiValidation(
      api,
      stream,
      `\`inputs\` tokens + \`max_new_tokens\` must be <= ${maxTotal}. Given: ${inputTokens} \`inputs\` tokens and ${maxNew} \`max_new_tokens\``,
    );
  }
  if (params.stop.length > 4) return tgiValidation(api, stream, `\`stop\` supports up to 4 stop sequences. Given: ${params.stop.length}`);
  params.promptTokens = inputTokens;
  params.maxTokens = maxNew;
  return { ok: true, params };
}

/** /generate, /generate_stream and the compat `/` route (`stream` picks). */
export function parseTgiGenerate(body: Json, stream: boolean, served: ServedModel): ParseResult {
  const inputs = str(body['inputs']);
  if (inputs === undefined) return http(invalidField('tgi', 'inputs'));
  const parameters = isRecord(body['parameters']) ? body['parameters'] : {};
  const params = base('generate', stream, served);
  params.promptText = inputs;
  params.inputChars = Array.from(inputs).length;
  params.stop = stopList(parameters['stop']);
  params.seed = int(parameters['seed']) ?? null;
  params.details = bool(parameters['details']) ?? false;
  params.returnFullText = bool(parameters['return_full_text']) ?? false;
  params.sampling = bool(parameters['do_sample']) ?? false;
  return tgiLimits('generate', stream, textPromptTokens(inputs), int(parameters['max_new_tokens']), served, params);
}

/** The Messages API (/v1/chat/completions) and /v1/completions. No ignore_eos, no min_tokens. */
export function parseTgiOpenAi(api: 'messages' | 'completions', body: Json, served: ServedModel): ParseResult {
  const stream = bool(body['stream']) ?? false;
  const params = base(api, stream, served);
  let inputTokens: number;
  if (api === 'messages') {
    const messages = readMessages(body['messages']);
    if (!messages) return http(invalidField('tgi', 'messages'));
    params.promptText = joinMessages(messages);
    inputTokens = chatPromptTokens(messages);
    const model = str(body['model']);
    // Any other name is taken as a LoRA adapter id and echoed back.
    if (model !== undefined && model !== 'tgi') params.responseModel = model;
    const options = body['stream_options'];
    params.includeUsage = stream && isRecord(options) && options['include_usage'] === true;
  } else {
    const prompt = readPrompt(body['prompt']);
    if (prompt === undefined) return http(invalidField('tgi', 'prompt'));
    params.promptText = prompt;
    inputTokens = textPromptTokens(prompt);
  }
  params.inputChars = Array.from(params.promptText).length;
  params.stop = stopList(body['stop']);
  params.seed = int(body['seed']) ?? null;
  const temperature = typeof body['temperature'] === 'number' ? body['temperature'] : undefined;
  params.sampling = temperature !== 0;
  const asked = int(body['max_tokens']) ?? int(body['max_completion_tokens']);
  return tgiLimits(api, stream, inputTokens, asked, served, params);
}

// ---------------------------------------------------------------- Ollama

/** Ollama names without a tag mean `:latest`. */
export function sameOllamaModel(asked: string, served: string): boolean {
  const norm = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return norm(asked) === norm(served);
}

export function parseOllama(api: 'chat' | 'generate', body: Json, served: ServedModel): ParseResult {
  const model = str(body['model']);
  if (model === undefined || model === '') return http(invalidField('ollama', 'model'));
  if (!sameOllamaModel(model, served.model)) return http(modelNotFound('ollama', model));
  // Streaming is on unless the request says `"stream": false`.
  const stream = bool(body['stream']) ?? true;
  const params = base(api, stream, served);
  params.responseModel = model;
  let messages: TemplateMessage[];
  if (api === 'chat') {
    messages = readMessages(body['messages']) ?? [];
    params.loadOnly = messages.length === 0;
  } else {
    const prompt = str(body['prompt']) ?? '';
    const system = str(body['system']);
    messages = [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: prompt }];
    params.loadOnly = prompt === '';
  }
  params.promptText = joinMessages(messages);
  const raw = api === 'generate' && bool(body['raw']) === true;
  const rendered = raw ? params.promptText : renderChatTemplate(messages);
  params.promptIds = tokenize(rendered).ids;
  params.promptTokens = raw ? textPromptTokens(params.promptText) : chatPromptTokens(messages);
  const options = isRecord(body['options']) ? body['options'] : {};
  // num_predict ≤ 0 (-1 infinite, -2 fill the context) leaves the answer its natural length;
  // the context window caps it either way (Ollama shifts or truncates instead of failing).
  const predict = int(options['num_predict']);
  const room = Math.max(1, served.contextTokens - params.promptTokens);
  params.maxTokens = predict !== undefined && predict > 0 ? Math.min(predict, room) : room;
  params.stop = stopList(options['stop']);
  params.seed = int(options['seed']) ?? null;
  return { ok: true, params };
}

// ---------------------------------------------------------------- llama.cpp

export function parseLlamacpp(api: 'chat' | 'completions', body: Json, served: ServedModel): ParseResult {
  const stream = bool(body['stream']) ?? false;
  const params = base(api, stream, served);
  if (api === 'chat') {
    const messages = readMessages(body['messages']);
    if (!messages) return http(invalidField('llamacpp', 'messages'));
    params.promptText = joinMessages(messages);
    params.promptTokens = chatPromptTokens(messages);
  } else {
    const prompt = readPrompt(body['prompt']);
    if (prompt === undefined) return http(invalidField('llamacpp', 'prompt'));
    params.promptText = prompt;
    params.promptTokens = textPromptTokens(prompt);
  }
  const nCtx = served.contextTokens;
  if (params.promptTokens >= nCtx) {
    return http(
      llamacppError(400, 'exceed_context_size_error', `request (${params.promptTokens} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`, {
        n_prompt_tokens: params.promptTokens,
        n_ctx: nCtx,
      }),
    );
  }
  // n_predict overrides max_completion_tokens, which overrides max_tokens; -1 means no cap but
  // the slot's context, where generation stops with finish_reason "length".
  const predict = int(body['n_predict']) ?? int(body['max_completion_tokens']) ?? int(body['max_tokens']) ?? -1;
  const room = nCtx - params.promptTokens;
  params.maxTokens = predict > 0 ? Math.min(predict, room) : room;
  params.force = bool(body['ignore_eos']) === true;
  params.stop = stopList(body['stop']);
  params.seed = int(body['seed']) ?? null;
  const options = body['stream_options'];
  params.includeUsage = stream && isRecord(options) && options['include_usage'] === true;
  return { ok: true, params };
}

/** Dispatch by engine and API; the body must already be a parsed JSON object. */
export function parseGeneration(kind: SimKind, api: Api, body: Json, served: ServedModel, tgiStream = false): ParseResult {
  switch (kind) {
    case 'vllm':
      return parseVllm(api === 'completions' ? 'completions' : 'chat', body, served);
    case 'tgi':
      return api === 'generate' ? parseTgiGenerate(body, tgiStream, served) : parseTgiOpenAi(api === 'completions' ? 'completions' : 'messages', body, served);
    case 'ollama':
      return parseOllama(api === 'generate' ? 'generate' : 'chat', body, served);
    case 'llamacpp':
      return parseLlamacpp(api === 'completions' ? 'completions' : 'chat', body, served);
  }
}

export type { Json };
