import { describe, it, expect } from 'vitest';
import { MalformedChunkError } from '../../../collector/engines/engine.ts';
import type { StreamEvent } from '../../../collector/engines/engine.ts';
import { createOpenAiDecoder } from '../../../collector/engines/openai-chat.ts';

const chunk = (choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: choice ? [{ index: 0, ...choice }] : [], ...extra })}\n\n`;

function decode(text: string, stream = true): StreamEvent[] {
  const decoder = createOpenAiDecoder(stream);
  return [...decoder.feed(text), ...decoder.end()];
}

describe('OpenAI chunk decoding', () => {
  it('does not take an empty finish_reason (TGI /v1/completions) for a finish', () => {
    const events = decode(chunk({ text: 'Hi', finish_reason: '' }) + chunk({ text: '', finish_reason: 'length' }));
    expect(events[0]).toEqual({ kind: 'content', text: 'Hi' });
    expect(events[1]).toMatchObject({ finishReason: 'length', completes: true });
  });

  it('classifies role, content, empty-content, finish, usage and [DONE] messages', () => {
    const events = decode(
      chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null }) +
        chunk({ delta: { content: 'Hi' }, finish_reason: null }) +
        chunk({ delta: { content: '' }, finish_reason: null }) +
        chunk({ delta: {}, finish_reason: 'stop' }) +
        chunk(null, { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 3 } } }) +
        'data: [DONE]\n\n',
    );
    expect(events).toEqual([
      { kind: 'role' },
      { kind: 'content', text: 'Hi' },
      { kind: 'other' },
      { kind: 'finish', finishReason: 'stop', completes: true },
      { kind: 'usage', usage: { promptTokens: 5, completionTokens: 2, cachedTokens: 3 } },
      { kind: 'done', terminal: true },
    ]);
  });

  it('treats a role chunk whose content is null (llama.cpp) as a role event', () => {
    expect(decode(chunk({ delta: { role: 'assistant', content: null }, finish_reason: null }))).toEqual([{ kind: 'role' }]);
  });

  it('keeps the text and the finish reason of a chunk that carries both', () => {
    expect(decode(chunk({ delta: { content: ' end' }, finish_reason: 'length' }))).toEqual([
      { kind: 'content', text: ' end', finishReason: 'length', completes: true },
    ]);
  });

  it('reads reasoning from reasoning_content and from reasoning', () => {
    expect(decode(chunk({ delta: { reasoning_content: 'think' } }) + chunk({ delta: { reasoning: 'more', content: null } }))).toEqual([
      { kind: 'reasoning', reasoning: 'think' },
      { kind: 'reasoning', reasoning: 'more' },
    ]);
  });

  it('reads streamed tool calls as their name and argument text', () => {
    const first = { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '' } }] };
    const next = { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] };
    expect(decode(chunk({ delta: first }) + chunk({ delta: next }) + chunk({ delta: {}, finish_reason: 'tool_calls' }))).toEqual([
      { kind: 'tool-call', toolCall: 'get_weather' },
      { kind: 'tool-call', toolCall: '{"city":' },
      { kind: 'finish', finishReason: 'tool_calls', completes: true },
    ]);
  });

  it('decodes completions chunks from choices[0].text', () => {
    expect(decode(chunk({ text: 'Once', finish_reason: null }) + chunk({ text: '', finish_reason: 'length' }))).toEqual([
      { kind: 'content', text: 'Once' },
      { kind: 'finish', finishReason: 'length', completes: true },
    ]);
  });

  it('keeps usage and timings that ride on the finish chunk (older llama.cpp)', () => {
    const events = decode(
      chunk({ delta: {}, finish_reason: 'stop' }, { usage: { completion_tokens: 4, prompt_tokens: 9 }, timings: { prompt_n: 9, predicted_ms: 12.5, note: 'x' } }),
    );
    expect(events).toEqual([
      { kind: 'finish', finishReason: 'stop', completes: true, usage: { promptTokens: 9, completionTokens: 4 }, native: { prompt_n: 9, predicted_ms: 12.5 } },
    ]);
  });

  it('attaches usage to every chunk that carries it (continuous_usage_stats) and ignores usage:null', () => {
    const events = decode(
      chunk({ delta: { content: 'a' } }, { usage: { prompt_tokens: 3, completion_tokens: 1 } }) +
        chunk({ delta: { content: 'b' } }, { usage: { prompt_tokens: 3, completion_tokens: 2 } }) +
        chunk({ delta: { content: 'c' } }, { usage: null }),
    );
    expect(events.map((e) => e.usage)).toEqual([{ promptTokens: 3, completionTokens: 1 }, { promptTokens: 3, completionTokens: 2 }, undefined]);
    expect(events.map((e) => e.kind)).toEqual(['content', 'content', 'content']);
  });

  it('throws MalformedChunkError for a data line that is not JSON', () => {
    const decoder = createOpenAiDecoder(true);
    expect(() => decoder.feed('data: {"choices":[{"delta":{"content":"a"}\n\n')).toThrow(MalformedChunkError);
    expect(() => createOpenAiDecoder(true).feed('data: not json\n\n')).toThrow(/malformed chunk: not json/);
  });
});

describe('OpenAI stream errors', () => {
  it('reads the json.dumps-spaced vLLM error object and marks it mid-stream after text', () => {
    const events = decode(
      chunk({ delta: { content: 'Paris' } }) +
        'data: {"error": {"message": "EngineCore encountered an issue.", "type": "InternalServerError", "param": null, "code": 500}}\n\n' +
        'data: [DONE]\n\n',
    );
    expect(events[1]).toEqual({
      kind: 'error',
      error: { message: 'EngineCore encountered an issue.', type: 'InternalServerError', code: 500, classification: 'server_error_midstream' },
    });
    expect(events[2]).toEqual({ kind: 'done', terminal: true });
  });

  it('classifies an error before any text by what it says', () => {
    const first = (body: string) => decode(`data: ${body}\n\n`)[0]?.error;
    expect(first('{"error":{"message":"Input validation error: `inputs` must have less than 4095 tokens. Given: 5000","http_status_code":422}}')).toEqual({
      message: 'Input validation error: `inputs` must have less than 4095 tokens. Given: 5000',
      code: 422,
      classification: 'context_length_exceeded',
    });
    expect(first('{"error":{"message":"Model is overloaded","http_status_code":422}}')?.classification).toBe('overloaded');
    expect(first('{"error":{"message":"Request failed during generation: boom","http_status_code":422}}')?.classification).toBe('server_error');
    expect(first('{"error":"Model is overloaded","error_type":"overloaded"}')).toEqual({
      message: 'Model is overloaded',
      type: 'overloaded',
      classification: 'overloaded',
    });
    expect(first('{"object":"error","message":"bad things","type":"BadRequestError","param":null,"code":400}')).toEqual({
      message: 'bad things',
      type: 'BadRequestError',
      code: 400,
      classification: 'bad_request',
    });
    expect(first('{"error":{"code":500,"message":"Compute error.","type":"server_error"}}')?.classification).toBe('server_error');
  });

  it('reads the mid-2025 llama.cpp `error:` SSE line as an error event', () => {
    const events = decode(
      chunk({ delta: { content: 'The' } }) + 'error: {"code":500,"message":"Compute error.","type":"server_error"}\n\ndata: [DONE]\n\n',
    );
    expect(events.slice(1)).toEqual([
      { kind: 'error', error: { message: 'Compute error.', type: 'server_error', code: 500, classification: 'server_error_midstream' } },
      { kind: 'done', terminal: true },
    ]);
    expect(decode('error: plain words\n\n')).toEqual([{ kind: 'error', error: { message: 'plain words', classification: 'server_error' } }]);
  });

  it('does not take a null error key for an error', () => {
    expect(decode(chunk({ delta: { content: 'a' } }, { error: null }))).toEqual([{ kind: 'content', text: 'a' }]);
  });
});

describe('OpenAI non-streaming answers', () => {
  it('decodes a whole chat answer into content, then a finish event carrying the usage', () => {
    const decoder = createOpenAiDecoder(false);
    const body = JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital.', reasoning_content: 'easy' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 },
    });
    // Nothing comes out before the body is complete.
    expect(decoder.feed(body.slice(0, 30))).toEqual([]);
    expect(decoder.feed(body.slice(30))).toEqual([]);
    expect(decoder.end()).toEqual([
      { kind: 'reasoning', reasoning: 'easy' },
      { kind: 'content', text: 'Paris is the capital.' },
      { kind: 'finish', finishReason: 'stop', completes: true, usage: { promptTokens: 20, completionTokens: 6 } },
    ]);
  });

  it('decodes a whole completions answer and its tool calls', () => {
    expect(decode(JSON.stringify({ choices: [{ index: 0, text: 'Once upon', finish_reason: 'length' }] }), false)).toEqual([
      { kind: 'content', text: 'Once upon' },
      { kind: 'finish', finishReason: 'length', completes: true },
    ]);
    const tool = { choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] };
    expect(decode(JSON.stringify(tool), false)).toEqual([
      { kind: 'tool-call', toolCall: 'f{}' },
      { kind: 'finish', finishReason: 'tool_calls', completes: true },
    ]);
  });

  it('turns an error body into an error event and a non-JSON body into MalformedChunkError', () => {
    expect(decode('{"error":{"message":"The model `x` does not exist.","type":"NotFoundError","code":404}}', false)).toEqual([
      { kind: 'error', error: { message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404, classification: 'model_not_found' } },
    ]);
    expect(() => decode('<html>oops</html>', false)).toThrow(MalformedChunkError);
  });
});
