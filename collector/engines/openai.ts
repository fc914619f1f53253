// Any OpenAI-compatible endpoint, plus the request and info building blocks that the
// OpenAI-speaking engines (vLLM, llama.cpp, TGI's Messages API) share.
import type { EngineAdapter, EngineInfo, Fetcher, GenerationRequest, HttpCall } from './engine.ts';
import { asRecord, asString, classifyHttpError, createOpenAiDecoder } from './openai-chat.ts';
import type { Json } from './openai-chat.ts';

/** The chat turned into one prompt for text-completion APIs: the message texts, blank-line separated. */
export function flattenMessages(req: GenerationRequest): string {
  return req.messages.map((m) => m.content).join('\n\n');
}

/** `POST /v1/chat/completions` or `/v1/completions` with the fields every OpenAI server reads. */
export function openAiCall(api: string, req: GenerationRequest, extra: Json = {}): HttpCall {
  const completions = api === 'completions';
  const body: Json = { model: req.model };
  if (completions) body['prompt'] = flattenMessages(req);
  else body['messages'] = req.messages.map((m) => ({ role: m.role, content: m.content }));
  body['max_tokens'] = req.maxTokens;
  body['temperature'] = req.temperature;
  if (req.seed !== undefined) body['seed'] = req.seed;
  body['stream'] = req.stream;
  // Servers reject stream_options on non-streaming requests (vLLM answers 400).
  if (req.stream) body['stream_options'] = { include_usage: true };
  Object.assign(body, extra);
  return { method: 'POST', path: completions ? '/v1/completions' : '/v1/chat/completions', body };
}

export function emptyInfo(): EngineInfo {
  return { simulated: false, raw: {}, problems: [] };
}

/**
 * Calls one info endpoint and returns its parsed JSON body, or undefined with a line in
 * `problems` when it fails. Keeps the body in `raw` and notes the simulator's self-mark.
 */
export async function fetchInfoJson(fetcher: Fetcher, call: HttpCall, info: EngineInfo): Promise<Json | undefined> {
  const where = `${call.method} ${call.path}`;
  let answer: { status: number; body: string };
  try {
    answer = await fetcher(call);
  } catch (error) {
    info.problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (answer.status < 200 || answer.status >= 300) {
    const detail = classifyHttpError(answer.status, answer.body).message;
    info.problems.push(`${where}: HTTP ${answer.status}${detail ? `: ${detail}` : ''}`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body) as unknown;
  } catch {
    info.problems.push(`${where}: answer is not JSON`);
    return undefined;
  }
  info.raw[call.path] = parsed;
  const json = asRecord(parsed);
  if (!json) {
    info.problems.push(`${where}: answer is not a JSON object`);
    return undefined;
  }
  if (json['servebench_simulated'] === true) info.simulated = true;
  return json;
}

/** The `/v1/models` entry for `model`; on a single-model server, its only entry whatever its name. */
export function findModelCard(models: Json | undefined, model: string): Json | undefined {
  const data = Array.isArray(models?.['data']) ? (models['data'] as unknown[]) : [];
  const cards = data.map(asRecord).filter((card): card is Json => card !== undefined);
  return cards.find((card) => card['id'] === model) ?? (cards.length === 1 ? cards[0] : undefined);
}

export const openai: EngineAdapter = {
  kind: 'openai',
  description: 'Any OpenAI-compatible endpoint (chat or text completions).',
  apis: ['chat', 'completions'],
  buildRequest: (api, req) => openAiCall(api, req),
  createDecoder: (_api, stream) => createOpenAiDecoder(stream),
  classifyHttpError,
  healthPath: '/v1/models',
  canForceOutputLength: false,
  async describe(fetcher, model) {
    const info = emptyInfo();
    const card = findModelCard(await fetchInfoJson(fetcher, { method: 'GET', path: '/v1/models' }, info), model);
    const id = asString(card?.['id']);
    if (id !== undefined) info.model = id;
    return info;
  },
};
