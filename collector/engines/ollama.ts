// Ollama's native API: NDJSON lines, the last one `done:true` with counts and ns durations.
// num_predict only caps the output, so Ollama cannot force an output length.
import { MalformedChunkError } from './engine.ts';
import type { EngineAdapter, StreamDecoder, StreamEvent } from './engine.ts';
import { createNdjsonSplitter } from '../framing/ndjson.ts';
import {
  asNumber,
  asRecord,
  asString,
  bufferedDecoder,
  classifyHttpError,
  numericFields,
  parseMessage,
  primaryKind,
  producedOutput,
  readError,
  splitAnswer,
  streamError,
  toolCallText,
} from './openai-chat.ts';
import type { Json } from './openai-chat.ts';
import { emptyInfo, fetchInfoJson, flattenMessages } from './openai.ts';

const NATIVE_FIELDS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration',
] as const;

/** One line of /api/chat (`message`) or /api/generate (`response`), or the whole non-streaming body. */
function decodeObject(json: Json): StreamEvent {
  const ev: StreamEvent = { kind: 'other' };
  const message = asRecord(json['message']);
  const text = asString(message?.['content']) ?? asString(json['response']);
  const thinking = asString(message?.['thinking']) ?? asString(json['thinking']);
  const toolCall = toolCallText(message?.['tool_calls']);
  if (text) ev.text = text;
  if (thinking) ev.reasoning = thinking;
  if (toolCall !== undefined) ev.toolCall = toolCall;
  if (json['done'] === true) {
    const reason = asString(json['done_reason']);
    if (reason !== undefined) ev.finishReason = reason;
    // Zero counts are omitted on the wire (omitempty): absent means unknown here.
    const prompt = asNumber(json['prompt_eval_count']);
    const completion = asNumber(json['eval_count']);
    if (prompt !== undefined || completion !== undefined) {
      ev.usage = {};
      if (prompt !== undefined) ev.usage.promptTokens = prompt;
      if (completion !== undefined) ev.usage.completionTokens = completion;
    }
    const native = numericFields(json, NATIVE_FIELDS);
    if (native) ev.native = native;
    ev.completes = true;
    ev.terminal = true;
  }
  ev.kind = primaryKind(ev, ev.completes ? 'finish' : 'other');
  return ev;
}

function decodeLine(line: string, sawOutput: boolean): StreamEvent {
  const json = parseMessage(line);
  const error = readError(json); // {"error":"..."}: the stream's last line, no done line follows
  if (error) return streamError(error, sawOutput);
  const record = asRecord(json);
  return record ? decodeObject(record) : { kind: 'other' };
}

/** A whole non-streaming answer: the done object with the full text, or `{"error":"..."}`. */
function decodeAnswer(body: string): StreamEvent[] {
  const json = parseMessage(body);
  const error = readError(json);
  if (error) return [streamError(error, false)];
  const record = asRecord(json);
  if (!record) throw new MalformedChunkError(body);
  return splitAnswer(decodeObject(record));
}

function ndjsonDecoder(): StreamDecoder {
  const splitter = createNdjsonSplitter();
  let sawOutput = false;
  const run = (lines: string[]): StreamEvent[] =>
    lines.map((line) => {
      const event = decodeLine(line, sawOutput);
      if (producedOutput(event)) sawOutput = true;
      return event;
    });
  return { feed: (text) => run(splitter.push(text)), end: () => run(splitter.end()) };
}

function findLoaded(list: Json | undefined, model: string): Json | undefined {
  const models = Array.isArray(list?.['models']) ? (list['models'] as unknown[]) : [];
  return models.map(asRecord).find((m) => m !== undefined && (m['name'] === model || m['model'] === model));
}

/** The context length /api/show states: `num_ctx` in parameters, else the architecture's training length. */
function showContext(show: Json | undefined): number | undefined {
  const params = asString(show?.['parameters']) ?? '';
  const numCtx = /^num_ctx\s+(\d+)\s*$/m.exec(params)?.[1];
  if (numCtx !== undefined) return Number(numCtx);
  const modelInfo = asRecord(show?.['model_info']) ?? {};
  const key = Object.keys(modelInfo).find((k) => k.endsWith('.context_length'));
  return key === undefined ? undefined : asNumber(modelInfo[key]);
}

export const ollama: EngineAdapter = {
  kind: 'ollama',
  description: 'Ollama native API (/api/chat, /api/generate).',
  apis: ['chat', 'generate'],
  buildRequest(api, req) {
    const options: Json = { num_predict: req.maxTokens, temperature: req.temperature };
    if (req.seed !== undefined) options['seed'] = req.seed;
    if (api === 'generate') {
      const body = { model: req.model, prompt: flattenMessages(req), stream: req.stream, options };
      return { method: 'POST', path: '/api/generate', body };
    }
    const messages = req.messages.map((m) => ({ role: m.role, content: m.content }));
    return { method: 'POST', path: '/api/chat', body: { model: req.model, messages, stream: req.stream, options } };
  },
  createDecoder: (_api, stream) => (stream ? ndjsonDecoder() : bufferedDecoder(decodeAnswer)),
  // `{"error":"..."}`: 404 not found, 503 server busy, 400 context length.
  classifyHttpError,
  healthPath: '/api/tags',
  canForceOutputLength: false,
  async describe(fetcher, model) {
    const info = emptyInfo();
    const version = asString((await fetchInfoJson(fetcher, { method: 'GET', path: '/api/version' }, info))?.['version']);
    if (version !== undefined) info.version = version;
    const show = await fetchInfoJson(fetcher, { method: 'POST', path: '/api/show', body: { model } }, info);
    const loaded = findLoaded(await fetchInfoJson(fetcher, { method: 'GET', path: '/api/ps' }, info), model);
    // /api/tags lists models on disk: it gives the digest when the model is not loaded yet.
    const local = loaded ?? findLoaded(await fetchInfoJson(fetcher, { method: 'GET', path: '/api/tags' }, info), model);
    const name = asString(local?.['model']) ?? asString(local?.['name']);
    if (name !== undefined) info.model = name;
    const digest = asString(local?.['digest']);
    if (digest !== undefined) info.modelRevision = digest;
    // A loaded model's context_length is the window requests really get; /api/show's is the file's.
    const context = asNumber(loaded?.['context_length']) ?? showContext(show);
    if (context !== undefined) info.maxModelTokens = context;
    return info;
  },
};
