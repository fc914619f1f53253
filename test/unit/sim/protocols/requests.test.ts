// How each simulated engine reads a generation request: output caps and their precedence, forced
// length, usage reporting, model checks, and each engine's refusal for a too-long request.
import { describe, expect, it } from 'vitest';
import { parseGeneration, type GenerationParams, type ParseResult } from '../../../../collector/sim/protocols/requests.ts';
import { chatPromptTokens } from '../../../../collector/sim/text/tokenizer.ts';

const SERVED = { model: 'm', contextTokens: 4096 };
const messages = [{ role: 'user', content: 'Hello there' }];

function ok(result: ParseResult): GenerationParams {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.params;
}

function refusal(result: ParseResult) {
  if (result.ok) throw new Error('accepted');
  return result.refusal;
}

describe('vLLM', () => {
  it('max_completion_tokens wins over max_tokens; chat without a cap gets the rest of the context', () => {
    expect(ok(parseGeneration('vllm', 'chat', { messages, max_tokens: 10, max_completion_tokens: 20 }, SERVED)).maxTokens).toBe(20);
    expect(ok(parseGeneration('vllm', 'chat', { messages }, SERVED)).maxTokens).toBe(4096 - chatPromptTokens(messages));
  });

  it('completions default to 16 tokens, as OpenAI', () => {
    expect(ok(parseGeneration('vllm', 'completions', { prompt: 'Hi' }, SERVED)).maxTokens).toBe(16);
  });

  it('ignore_eos or min_tokens ≥ max_tokens force the length', () => {
    expect(ok(parseGeneration('vllm', 'chat', { messages, max_tokens: 8, ignore_eos: true }, SERVED)).force).toBe(true);
    expect(ok(parseGeneration('vllm', 'chat', { messages, max_tokens: 8, min_tokens: 8 }, SERVED)).force).toBe(true);
    const soft = ok(parseGeneration('vllm', 'chat', { messages, max_tokens: 8, min_tokens: 3 }, SERVED));
    expect([soft.force, soft.minTokens]).toEqual([false, 3]);
  });

  it('include_usage defaults to true once stream_options is sent', () => {
    expect(ok(parseGeneration('vllm', 'chat', { messages, stream: true, stream_options: {} }, SERVED)).includeUsage).toBe(true);
    expect(ok(parseGeneration('vllm', 'chat', { messages, stream: true }, SERVED)).includeUsage).toBe(false);
  });

  it('refuses an unknown model with 404 and a request over the context with 400', () => {
    const notFound = refusal(parseGeneration('vllm', 'chat', { model: 'gpt-4o', messages }, SERVED));
    expect(notFound.kind === 'http' && notFound.reply.status).toBe(404);
    const tooLong = refusal(parseGeneration('vllm', 'chat', { messages, max_tokens: 5000 }, SERVED));
    expect(tooLong.kind === 'http' && JSON.parse(tooLong.reply.body).error).toMatchObject({ type: 'BadRequestError', param: 'input_tokens', code: 400 });
  });
});

describe('TGI', () => {
  it('validation errors are HTTP 422 for plain requests and a 200 stream event for streams', () => {
    const plain = refusal(parseGeneration('tgi', 'generate', { inputs: 'Hi', parameters: { max_new_tokens: 5000 } }, SERVED, false));
    expect(plain.kind === 'http' && plain.reply.status).toBe(422);
    const streamed = refusal(parseGeneration('tgi', 'generate', { inputs: 'Hi', parameters: { max_new_tokens: 5000 } }, SERVED, true));
    expect(streamed.kind).toBe('stream');
    expect(streamed.kind === 'stream' && streamed.writes.join('')).toMatch(/^data: \{"error":"Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= 4096\. Given: \d+ `inputs` tokens and 5000 `max_new_tokens`","error_type":"validation"\}\n\n$/);
    const chat = refusal(parseGeneration('tgi', 'messages', { messages, max_tokens: 5000, stream: true }, SERVED));
    expect(chat.kind === 'stream' && chat.writes.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('echoes a chat model name other than "tgi" and never forces a length', () => {
    const p = ok(parseGeneration('tgi', 'messages', { model: 'my-adapter', messages, max_tokens: 5, ignore_eos: true }, SERVED));
    expect([p.responseModel, p.force, p.maxTokens]).toEqual(['my-adapter', false, 5]);
    expect(ok(parseGeneration('tgi', 'messages', { model: 'tgi', messages }, SERVED)).responseModel).toBe('m');
  });

  it('generate reads details, seed and stop from parameters', () => {
    const p = ok(parseGeneration('tgi', 'generate', { inputs: 'Hi', parameters: { details: true, seed: 5, stop: ['.'], max_new_tokens: 9 } }, SERVED, true));
    expect([p.details, p.seed, p.stop, p.maxTokens, p.stream]).toEqual([true, 5, ['.'], 9, true]);
  });
});

describe('Ollama', () => {
  it('streams unless stream:false; num_predict caps, -1 means the rest of the context', () => {
    const p = ok(parseGeneration('ollama', 'chat', { model: 'm', messages, options: { num_predict: 7, seed: 3 } }, SERVED));
    expect([p.stream, p.maxTokens, p.seed]).toEqual([true, 7, 3]);
    expect(ok(parseGeneration('ollama', 'chat', { model: 'm:latest', messages, stream: false, options: { num_predict: -1 } }, SERVED)).maxTokens).toBe(
      4096 - chatPromptTokens(messages),
    );
  });

  it('requires a known model; an empty prompt only loads it', () => {
    const missing = refusal(parseGeneration('ollama', 'chat', { messages }, SERVED));
    expect(missing.kind === 'http' && missing.reply.body).toBe('{"error":"model is required"}');
    const unknown = refusal(parseGeneration('ollama', 'generate', { model: 'other', prompt: 'x' }, SERVED));
    expect(unknown.kind === 'http' && unknown.reply.status).toBe(404);
    expect(ok(parseGeneration('ollama', 'generate', { model: 'm', prompt: '' }, SERVED)).loadOnly).toBe(true);
  });
});

describe('llama.cpp', () => {
  it('n_predict overrides max_completion_tokens, which overrides max_tokens', () => {
    expect(ok(parseGeneration('llamacpp', 'chat', { messages, max_tokens: 5, max_completion_tokens: 6, n_predict: 7 }, SERVED)).maxTokens).toBe(7);
    expect(ok(parseGeneration('llamacpp', 'chat', { messages, max_tokens: 5, max_completion_tokens: 6 }, SERVED)).maxTokens).toBe(6);
  });

  it('ignore_eos forces the length; include_usage must be asked for', () => {
    const p = ok(parseGeneration('llamacpp', 'chat', { messages, max_tokens: 5, ignore_eos: true, stream: true }, SERVED));
    expect([p.force, p.includeUsage]).toEqual([true, false]);
  });

  it('refuses a prompt longer than the slot context with exceed_context_size_error', () => {
    const long = refusal(parseGeneration('llamacpp', 'completions', { prompt: 'word '.repeat(5000) }, SERVED));
    expect(long.kind === 'http' && JSON.parse(long.reply.body).error).toMatchObject({ code: 400, type: 'exceed_context_size_error', n_ctx: 4096 });
  });
});
