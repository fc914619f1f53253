// vLLM's OpenAI-compatible server. Fixed output length: ignore_eos + min_tokens.
import type { EngineAdapter } from './engine.ts';
import { asNumber, asString, classifyHttpError, createOpenAiDecoder } from './openai-chat.ts';
import { emptyInfo, fetchInfoJson, findModelCard, openAiCall } from './openai.ts';

export const vllm: EngineAdapter = {
  kind: 'vllm',
  description: 'vLLM OpenAI-compatible server (/v1/chat/completions, /v1/completions).',
  apis: ['chat', 'completions'],
  buildRequest: (api, req) =>
    openAiCall(api, req, req.forceOutputLength ? { ignore_eos: true, min_tokens: req.maxTokens } : {}),
  createDecoder: (_api, stream) => createOpenAiDecoder(stream),
  // Also reads vLLM's 401 `{"error":"Unauthorized"}` and the pre-0.10.1 flat `{"object":"error"}` body.
  classifyHttpError,
  healthPath: '/health',
  canForceOutputLength: true,
  async describe(fetcher, model) {
    const info = emptyInfo();
    const version = asString((await fetchInfoJson(fetcher, { method: 'GET', path: '/version' }, info))?.['version']);
    if (version !== undefined) info.version = version;
    const card = findModelCard(await fetchInfoJson(fetcher, { method: 'GET', path: '/v1/models' }, info), model);
    // `root` is the weights the served name (`id`, maybe --served-model-name) points at.
    const name = asString(card?.['root']) ?? asString(card?.['id']);
    if (name !== undefined) info.model = name;
    const maxLen = asNumber(card?.['max_model_len']);
    if (maxLen !== undefined) info.maxModelTokens = maxLen;
    return info;
  },
};
