import { describe, it, expect } from 'vitest';
import { MalformedChunkError } from '../../../collector/engines/engine.ts';
import type { StreamEvent } from '../../../collector/engines/engine.ts';
import { findEngine } from '../../../collector/engines/index.ts';

function decode(kind: string, api: string, text: string, stream = true): StreamEvent[] {
  const decoder = findEngine(kind)?.createDecoder(api, stream);
  if (!decoder) throw new Error(kind);
  return [...decoder.feed(text), ...decoder.end()];
}

const token = (index: number, text: string, special = false, last?: Record<string, unknown>) =>
  `data:${JSON.stringify({ index, token: { id: index, text, logprob: -0.1, special }, generated_text: last ? 'Hi' : null, details: last ?? null })}\n\n`;

describe('TGI generate_stream decoding', () => {
  it('counts the special EOS token without taking its text, and ends on details', () => {
    const events = decode(
      'tgi',
      'generate',
      token(1, 'Hi') + token(2, '<|eot_id|>', true, { finish_reason: 'eos_token', generated_tokens: 2, seed: null, input_length: 5 }),
    );
    expect(events).toEqual([
      { kind: 'content', text: 'Hi', tokens: 1 },
      {
        kind: 'finish',
        tokens: 1,
        finishReason: 'eos_token',
        usage: { promptTokens: 5, completionTokens: 2 },
        completes: true,
        terminal: true,
      },
    ]);
  });

  it('takes generated_text without details as the completion marker', () => {
    const last = `data:${JSON.stringify({ index: 1, token: { id: 1, text: 'Hi', special: false }, generated_text: 'Hi', details: null })}\n\n`;
    expect(decode('tgi', 'generate', last)).toEqual([{ kind: 'content', text: 'Hi', tokens: 1, completes: true, terminal: true }]);
  });

  it('classifies an error event that arrives before any token by its error_type and message', () => {
    const validation = 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 3900 `inputs` tokens and 512 `max_new_tokens`';
    expect(decode('tgi', 'generate', `data: ${JSON.stringify({ error: validation, error_type: 'validation' })}\n\n`)).toEqual([
      { kind: 'error', error: { message: validation, type: 'validation', classification: 'context_length_exceeded' } },
    ]);
    expect(decode('tgi', 'generate', 'data: {"error":"Model is overloaded","error_type":"overloaded"}\n\n')[0]?.error?.classification).toBe('overloaded');
    expect(decode('tgi', 'generate', 'data: {"error":"Incomplete generation stream","error_type":"incomplete_generation_stream"}\n\n')[0]?.error?.classification).toBe('server_error');
  });

  it('marks an error after a special token as mid-stream too, since a token was generated', () => {
    const events = decode('tgi', 'generate', token(1, '<s>', true) + 'data: {"error":"boom","error_type":"generation"}\n\n');
    expect(events[1]?.error?.classification).toBe('server_error_midstream');
  });

  it('throws MalformedChunkError on a data line that is not JSON', () => {
    expect(() => decode('tgi', 'generate', 'data: {"index":1,\n\n')).toThrow(MalformedChunkError);
  });

  it('decodes a whole /generate answer into content then a finish event', () => {
    const body = JSON.stringify({ generated_text: ' Deep learning.', details: { finish_reason: 'length', generated_tokens: 3, seed: null, input_length: 6, prefill: [], tokens: [] } });
    const expected = [
      { kind: 'content', text: ' Deep learning.' },
      { kind: 'finish', finishReason: 'length', usage: { promptTokens: 6, completionTokens: 3 }, completes: true, terminal: true },
    ];
    expect(decode('tgi', 'generate', body, false)).toEqual(expected);
    expect(decode('tgi', 'generate', `[${body}]`, false)).toEqual(expected);
    expect(decode('tgi', 'generate', '{"error":"Model is overloaded","error_type":"overloaded"}', false)[0]?.kind).toBe('error');
  });

  it('decodes a whole Messages API answer like any OpenAI answer', () => {
    const body = JSON.stringify({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 3 } });
    expect(decode('tgi', 'messages', body, false)).toEqual([
      { kind: 'content', text: 'Paris.' },
      { kind: 'finish', finishReason: 'stop', completes: true, usage: { promptTokens: 9, completionTokens: 3 } },
    ]);
  });
});

describe('Ollama NDJSON decoding', () => {
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;

  it('reads thinking, tool calls and empty chunks', () => {
    const events = decode(
      'ollama',
      'chat',
      line({ model: 'q', message: { role: 'assistant', content: '', thinking: 'Hmm' }, done: false }) +
        line({ model: 'q', message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get', arguments: { city: 'Paris' } } }] }, done: false }) +
        line({ model: 'q', message: { role: 'assistant', content: '' }, done: false }),
    );
    expect(events).toEqual([
      { kind: 'reasoning', reasoning: 'Hmm' },
      { kind: 'tool-call', toolCall: 'get{"city":"Paris"}' },
      { kind: 'other' },
    ]);
  });

  it('keeps only the metrics present on the done line, since zero values are omitted', () => {
    expect(decode('ollama', 'generate', line({ response: '', done: true, done_reason: 'load' }))).toEqual([
      { kind: 'finish', finishReason: 'load', completes: true, terminal: true },
    ]);
  });

  it('classifies an error line before any output by its message', () => {
    expect(decode('ollama', 'chat', line({ error: 'server busy, please try again.  maximum pending requests exceeded' }))).toEqual([
      { kind: 'error', error: { message: 'server busy, please try again.  maximum pending requests exceeded', classification: 'overloaded' } },
    ]);
  });

  it('throws MalformedChunkError on a line that is not JSON', () => {
    expect(() => decode('ollama', 'chat', 'Ollama is running\n')).toThrow(MalformedChunkError);
  });

  it('decodes a whole non-streaming answer into content then the done metrics', () => {
    const body = JSON.stringify({
      model: 'llama3.1:8b',
      message: { role: 'assistant', content: 'Paris.' },
      done: true,
      done_reason: 'stop',
      total_duration: 100,
      load_duration: 10,
      prompt_eval_count: 12,
      prompt_eval_duration: 20,
      eval_count: 3,
      eval_duration: 60,
    });
    expect(decode('ollama', 'chat', body, false)).toEqual([
      { kind: 'content', text: 'Paris.' },
      {
        kind: 'finish',
        finishReason: 'stop',
        usage: { promptTokens: 12, completionTokens: 3 },
        native: { total_duration: 100, load_duration: 10, prompt_eval_count: 12, prompt_eval_duration: 20, eval_count: 3, eval_duration: 60 },
        completes: true,
        terminal: true,
      },
    ]);
    expect(decode('ollama', 'generate', '{"error":"model \'x\' not found"}', false)[0]?.error?.classification).toBe('model_not_found');
  });
});

describe('non-streaming bodies that are JSON but not an answer', () => {
  it('throw MalformedChunkError for every adapter', () => {
    for (const [kind, api] of [['vllm', 'chat'], ['tgi', 'generate'], ['tgi', 'messages'], ['ollama', 'chat'], ['llamacpp', 'chat'], ['openai', 'completions']] as const) {
      expect(() => decode(kind, api, '[]', false), `${kind} ${api}`).toThrow(MalformedChunkError);
      expect(() => decode(kind, api, '', false), `${kind} ${api}`).toThrow(MalformedChunkError);
    }
  });
});
