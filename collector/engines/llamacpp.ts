// llama.cpp's llama-server through its OpenAI-compatible API. Fixed output length: ignore_eos
// (it has no min_tokens). Its `timings` object reaches the events as `native`.
import type { EngineAdapter } from './engine.ts';
import { asNumber, asRecord, asString, classifyHttpError, createOpenAiDecoder } from './openai-chat.ts';
import { emptyInfo, fetchInfoJson, findModelCard, openAiCall } from './openai.ts';

export const llamacpp: EngineAdapter = {
  kind: 'llamacpp',
  description: 'llama.cpp llama-server, OpenAI-compatible API (/v1/chat/completions, /v1/completions).',
  apis: ['chat', 'completions'],
  buildRequest: (api, req) => openAiCall(api, req, req.forceOutputLength ? { ignore_eos: true } : {}),
  // Also understands the mid-2025 non-standard `error: {...}` SSE line.
  createDecoder: (_api, stream) => createOpenAiDecoder(stream),
  classifyHttpError,
  healthPath: '/health',
  canForceOutputLength: true,
  async describe(fetcher, model) {
    const info = emptyInfo();
    const props = await fetchInfoJson(fetcher, { method: 'GET', path: '/props' }, info);
    const build = asString(props?.['build_info']);
    if (build !== undefined) info.version = build;
    const name = asString(props?.['model_alias']) ?? asString(props?.['model_path']);
    if (name) info.model = name;
    // Per-slot context (-c / -np): the most one request can use.
    const nCtx = asNumber(asRecord(props?.['default_generation_settings'])?.['n_ctx']);
    if (nCtx !== undefined) info.maxModelTokens = nCtx;
    const card = findModelCard(await fetchInfoJson(fetcher, { method: 'GET', path: '/v1/models' }, info), model);
    const id = asString(card?.['id']);
    if (info.model === undefined && id !== undefined) info.model = id;
    return info;
  },
};
