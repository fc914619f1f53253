// Hugging Face TGI: native /generate_stream (one SSE event per token, no [DONE]) and the
// OpenAI-like Messages API. TGI cannot force an output length (no ignore_eos, no min_tokens).
import { MalformedChunkError } from './engine.ts';
import type { EngineAdapter, StreamDecoder, StreamEvent } from './engine.ts';
import {
  asNumber,
  asRecord,
  asString,
  bufferedDecoder,
  classifyHttpError,
  createOpenAiDecoder,
  parseMessage,
  primaryKind,
  readError,
  splitAnswer,
  sseDecoder,
  streamError,
} from './openai-chat.ts';
import type { Json } from './openai-chat.ts';
import { emptyInfo, fetchInfoJson, flattenMessages, openAiCall } from './openai.ts';

/** What a generate event says besides its token: `details` on the last event ends the stream. */
function closing(json: Json, ev: StreamEvent): void {
  const details = asRecord(json['details']);
  const finish = asString(details?.['finish_reason']);
  if (finish !== undefined) ev.finishReason = finish;
  const generated = asNumber(details?.['generated_tokens']);
  const input = asNumber(details?.['input_length']);
  if (generated !== undefined || input !== undefined) {
    ev.usage = {};
    if (input !== undefined) ev.usage.promptTokens = input;
    if (generated !== undefined) ev.usage.completionTokens = generated;
  }
  // `generated_text` is set on the last event even when details were not asked for.
  if (details || typeof json['generated_text'] === 'string') {
    ev.completes = true;
    ev.terminal = true;
  }
}

/** One /generate_stream event: `{index, token:{id,text,logprob,special}, generated_text, details}`. */
function decodeTokenEvent(json: Json): StreamEvent {
  const ev: StreamEvent = { kind: 'other' };
  const token = asRecord(json['token']);
  if (token) {
    ev.tokens = 1;
    // Special tokens (EOS) are generated but are not answer text.
    const text = asString(token['text']);
    if (token['special'] !== true && text) ev.text = text;
  }
  closing(json, ev);
  ev.kind = primaryKind(ev, ev.completes ? 'finish' : 'other');
  return ev;
}

function decodeGenerateData(data: string, sawOutput: boolean): StreamEvent[] {
  const trimmed = data.trim();
  if (trimmed === '') return [];
  if (trimmed === '[DONE]') return [{ kind: 'done', terminal: true }];
  const json = parseMessage(data);
  const error = readError(json); // {"error": "...", "error_type": "..."}
  if (error) return [streamError(error, sawOutput)];
  const record = asRecord(json);
  return [record ? decodeTokenEvent(record) : { kind: 'other' }];
}

/** A whole /generate answer: `{generated_text, details}` (the `/` route may wrap it in an array). */
function decodeGenerateAnswer(body: string): StreamEvent[] {
  const parsed = parseMessage(body);
  const json = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
  if (!json) throw new MalformedChunkError(body);
  const error = readError(json);
  if (error) return [streamError(error, false)];
  const ev: StreamEvent = { kind: 'other' };
  const text = asString(json['generated_text']);
  if (text) ev.text = text;
  closing(json, ev);
  return splitAnswer(ev);
}

function generateDecoder(stream: boolean): StreamDecoder {
  return stream ? sseDecoder(decodeGenerateData) : bufferedDecoder(decodeGenerateAnswer);
}

export const tgi: EngineAdapter = {
  kind: 'tgi',
  description: 'Hugging Face Text Generation Inference (/generate_stream, or the Messages API).',
  apis: ['generate', 'messages'],
  buildRequest(api, req) {
    if (api === 'messages') return openAiCall('chat', req);
    const parameters: Json = { max_new_tokens: req.maxTokens };
    if (req.seed !== undefined) parameters['seed'] = req.seed;
    parameters['details'] = true;
    // TGI rejects temperature 0: greedy decoding is do_sample=false with no temperature.
    if (req.temperature > 0) {
      parameters['do_sample'] = true;
      parameters['temperature'] = req.temperature;
    } else {
      parameters['do_sample'] = false;
    }
    return {
      method: 'POST',
      path: req.stream ? '/generate_stream' : '/generate',
      body: { inputs: flattenMessages(req), parameters },
    };
  },
  createDecoder(api, stream) {
    // Messages API chunks each carry exactly one generated token (the finish chunk the EOS).
    return api === 'messages' ? createOpenAiDecoder(stream, { tokenPerChoiceChunk: true }) : generateDecoder(stream);
  },
  // `{"error","error_type"}`: validation (context when about `inputs` tokens), overloaded, healthcheck, generation.
  classifyHttpError,
  healthPath: '/health',
  canForceOutputLength: false,
  async describe(fetcher) {
    const info = emptyInfo();
    const body = await fetchInfoJson(fetcher, { method: 'GET', path: '/info' }, info);
    const model = asString(body?.['model_id']);
    if (model !== undefined) info.model = model;
    const sha = asString(body?.['model_sha']);
    if (sha !== undefined) info.modelRevision = sha;
    const version = asString(body?.['version']);
    if (version !== undefined) info.version = version;
    const maxTotal = asNumber(body?.['max_total_tokens']);
    if (maxTotal !== undefined) info.maxModelTokens = maxTotal;
    return info;
  },
};
