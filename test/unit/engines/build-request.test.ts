import { describe, it, expect } from 'vitest';
import type { GenerationRequest } from '../../../collector/engines/engine.ts';
import { findEngine } from '../../../collector/engines/index.ts';

const REQ: GenerationRequest = {
  model: 'm',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  maxTokens: 64,
  temperature: 0,
  seed: 42,
  forceOutputLength: false,
  stream: true,
};
const FORCED = { ...REQ, forceOutputLength: true };
const PROMPT = 'Be brief.\n\nCapital of France?';

const build = (kind: string, api: string, req: GenerationRequest) => {
  const adapter = findEngine(kind);
  if (!adapter) throw new Error(kind);
  return adapter.buildRequest(api, req);
};

const chatBody = { model: 'm', messages: REQ.messages, max_tokens: 64, temperature: 0, seed: 42, stream: true, stream_options: { include_usage: true } };

describe('vLLM requests', () => {
  it('posts chat with usage in the stream and, when forced, ignore_eos plus min_tokens', () => {
    expect(build('vllm', 'chat', REQ)).toEqual({ method: 'POST', path: '/v1/chat/completions', body: chatBody });
    expect(build('vllm', 'chat', FORCED).body).toEqual({ ...chatBody, ignore_eos: true, min_tokens: 64 });
  });

  it('posts completions with the messages flattened into the prompt', () => {
    const { messages: _m, ...rest } = chatBody;
    expect(build('vllm', 'completions', FORCED)).toEqual({
      method: 'POST',
      path: '/v1/completions',
      body: { ...rest, prompt: PROMPT, ignore_eos: true, min_tokens: 64 },
    });
  });

  it('sends no stream_options and no seed when not streaming and unseeded', () => {
    const { seed: _s, ...unseeded } = REQ;
    expect(build('vllm', 'chat', { ...unseeded, stream: false }).body).toEqual({ model: 'm', messages: REQ.messages, max_tokens: 64, temperature: 0, stream: false });
  });
});

describe('TGI requests', () => {
  it('posts generate_stream with details, and temperature 0 as do_sample false without a temperature', () => {
    expect(build('tgi', 'generate', FORCED)).toEqual({
      method: 'POST',
      path: '/generate_stream',
      body: { inputs: PROMPT, parameters: { max_new_tokens: 64, seed: 42, details: true, do_sample: false } },
    });
  });

  it('samples with the given temperature above 0, and uses /generate when not streaming', () => {
    expect(build('tgi', 'generate', { ...REQ, temperature: 0.7, stream: false })).toEqual({
      method: 'POST',
      path: '/generate',
      body: { inputs: PROMPT, parameters: { max_new_tokens: 64, seed: 42, details: true, do_sample: true, temperature: 0.7 } },
    });
  });

  it('posts the Messages API without ignore_eos or min_tokens even when forced', () => {
    expect(build('tgi', 'messages', FORCED)).toEqual({ method: 'POST', path: '/v1/chat/completions', body: chatBody });
  });
});

describe('Ollama requests', () => {
  it('posts /api/chat with num_predict, temperature and seed in options', () => {
    expect(build('ollama', 'chat', FORCED)).toEqual({
      method: 'POST',
      path: '/api/chat',
      body: { model: 'm', messages: REQ.messages, stream: true, options: { num_predict: 64, temperature: 0, seed: 42 } },
    });
  });

  it('posts /api/generate with the flattened prompt', () => {
    expect(build('ollama', 'generate', { ...REQ, stream: false })).toEqual({
      method: 'POST',
      path: '/api/generate',
      body: { model: 'm', prompt: PROMPT, stream: false, options: { num_predict: 64, temperature: 0, seed: 42 } },
    });
  });
});

describe('llama.cpp and generic OpenAI requests', () => {
  it('llama.cpp adds ignore_eos when forced and never min_tokens', () => {
    expect(build('llamacpp', 'chat', REQ)).toEqual({ method: 'POST', path: '/v1/chat/completions', body: chatBody });
    expect(build('llamacpp', 'chat', FORCED).body).toEqual({ ...chatBody, ignore_eos: true });
  });

  it('a generic OpenAI endpoint gets neither ignore_eos nor min_tokens', () => {
    expect(build('openai', 'chat', FORCED)).toEqual({ method: 'POST', path: '/v1/chat/completions', body: chatBody });
    expect(build('openai', 'completions', FORCED).path).toBe('/v1/completions');
  });

  it('sends messages as plain role/content pairs, not the caller objects', () => {
    const body = build('openai', 'chat', REQ).body as { messages: unknown[] };
    expect(body.messages).not.toBe(REQ.messages);
    expect(body.messages).toEqual(REQ.messages);
  });
});
