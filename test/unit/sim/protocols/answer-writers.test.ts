// Every answer writer's output, streamed and whole, decoded by the collector's own adapter for that
// engine: the text, usage, finish reason and completion marker must come out as planned, a
// mid-stream failure must read as server_error_midstream and a malformed chunk must be refused.
import { describe, expect, it } from 'vitest';
import { MalformedChunkError, type StreamEvent } from '../../../../collector/engines/engine.ts';
import { findEngine } from '../../../../collector/engines/index.ts';
import { createAnswerWriter, type AnswerTimes } from '../../../../collector/sim/protocols/answer-writers.ts';
import { parseGeneration, type Api, type GenerationParams } from '../../../../collector/sim/protocols/requests.ts';
import { planAnswer, type PlannedAnswer } from '../../../../collector/sim/text/plan-answer.ts';
import type { SimKind } from '../../../../collector/sim/types.ts';

const SERVED = { model: 'sim-model', contextTokens: 8192 };

function paramsFor(kind: SimKind, api: Api, stream: boolean, extra: Record<string, unknown> = {}): GenerationParams {
  const chatLike = api === 'chat' || api === 'messages';
  const body: Record<string, unknown> =
    kind === 'tgi' && api === 'generate'
      ? { inputs: 'Tell me about bread.', parameters: { max_new_tokens: 64, details: true } }
      : kind === 'ollama'
        ? { model: 'sim-model', ...(chatLike ? { messages: [{ role: 'user', content: 'Tell me about bread.' }] } : { prompt: 'Tell me about bread.' }), stream }
        : { model: 'sim-model', ...(chatLike ? { messages: [{ role: 'user', content: 'Tell me about bread.' }] } : { prompt: 'Tell me about bread.' }), max_tokens: 64, stream };
  if (stream && kind !== 'ollama' && !(kind === 'tgi' && api !== 'messages')) body['stream_options'] = { include_usage: true };
  Object.assign(body, extra);
  const result = parseGeneration(kind, api, body, SERVED, stream);
  if (!result.ok) throw new Error(`request refused: ${JSON.stringify(result.refusal)}`);
  return result.params;
}

const times = (index: number): AnswerTimes => ({
  nowEpochMs: 1_760_000_000_000 + 11 + index * 10,
  nowMs: 11 + index * 10,
  arrivedMs: 0,
  submittedMs: 1,
  firstTokenMs: 11,
  prefillMs: 5,
});

/** The adapter API that decodes a simulated API (TGI's /v1/completions is any OpenAI server's). */
function decoderFor(kind: SimKind, api: Api, stream: boolean) {
  if (kind === 'tgi' && api === 'completions') return findEngine('openai')!.createDecoder('completions', stream);
  return findEngine(kind)!.createDecoder(api, stream);
}

function decode(kind: SimKind, api: Api, stream: boolean, writes: string[]): StreamEvent[] {
  const decoder = decoderFor(kind, api, stream);
  const events: StreamEvent[] = [];
  for (const w of writes) events.push(...decoder.feed(w));
  events.push(...decoder.end());
  return events;
}

function summary(events: StreamEvent[]) {
  let usage: StreamEvent['usage'] = {};
  let finish: string | undefined;
  for (const e of events) {
    if (e.usage) usage = { ...usage, ...e.usage };
    if (e.finishReason) finish = e.finishReason;
  }
  return {
    text: events.filter((e) => e.kind === 'content').map((e) => e.text).join(''),
    usage,
    finish,
    completes: events.some((e) => e.completes),
    errors: events.filter((e) => e.kind === 'error'),
  };
}

function streamWrites(kind: SimKind, params: GenerationParams, answer: PlannedAnswer): string[] {
  const writer = createAnswerWriter({ kind, params, answer, id: 'chatcmpl-test', arrivedEpochMs: 1_760_000_000_000, seed: 7 });
  return answer.pieces.flatMap((_, i) => writer.token(i, times(i)));
}

/** Finish reasons as each API states them, for an answer that ended on EOS or on the cap. */
const FINISH: Record<string, { eos: string; length: string }> = {
  'vllm/chat': { eos: 'stop', length: 'length' },
  'vllm/completions': { eos: 'stop', length: 'length' },
  'tgi/generate': { eos: 'eos_token', length: 'length' },
  'tgi/messages': { eos: 'stop', length: 'length' },
  'tgi/completions': { eos: 'eos_token', length: 'length' },
  'ollama/chat': { eos: 'stop', length: 'length' },
  'ollama/generate': { eos: 'stop', length: 'length' },
  'llamacpp/chat': { eos: 'stop', length: 'length' },
  'llamacpp/completions': { eos: 'stop', length: 'length' },
};

const EOS_ANSWER: PlannedAnswer = { pieces: ['Fish', ' &', ' chips', ' <', 'b', '>', ' taste', ' good', '.', ''], finishReason: 'stop', eos: true };
const LENGTH_ANSWER: PlannedAnswer = { pieces: ['Bread', ' starts', ' with', ' four', ' things'], finishReason: 'length', eos: false };

for (const key of Object.keys(FINISH)) {
  const [kind, api] = key.split('/') as [SimKind, Api];
  describe(`${key} writer, decoded by the collector`, () => {
    for (const [name, answer] of [['EOS', EOS_ANSWER], ['length', LENGTH_ANSWER]] as const) {
      const expectedFinish = name === 'EOS' ? FINISH[key]!.eos : FINISH[key]!.length;
      // TGI's /v1/completions streams the EOS token's own text in its last event.
      const visible = answer.pieces.join('') + (kind === 'tgi' && api === 'completions' && answer.eos ? '<|eot_id|>' : '');

      it(`streams the ${name} answer with its usage and finish reason`, () => {
        const params = paramsFor(kind, api, true);
        const s = summary(decode(kind, api, true, streamWrites(kind, params, answer)));
        expect(s.errors).toEqual([]);
        expect(s.text).toBe(visible);
        expect(s.finish).toBe(expectedFinish);
        expect(s.completes).toBe(true);
        expect(s.usage?.completionTokens).toBe(answer.pieces.length);
        expect(s.usage?.promptTokens).toBe(params.promptTokens);
      });

      it(`answers the ${name} answer whole (stream: false)`, () => {
        const params = paramsFor(kind, api, false);
        const writer = createAnswerWriter({ kind, params, answer, id: 'chatcmpl-test', arrivedEpochMs: 1_760_000_000_000, seed: 7 });
        const whole = writer.whole(times(answer.pieces.length - 1));
        const s = summary(decode(kind, api, false, [whole.body]));
        expect(s.text).toBe(answer.pieces.join(''));
        expect(s.completes).toBe(true);
        // Whole OpenAI answers map TGI's eos_token to "stop"; /generate states the raw reason.
        const wholeFinish = kind === 'tgi' && api === 'completions' && name === 'EOS' ? 'stop' : expectedFinish;
        expect(s.finish).toBe(wholeFinish);
        expect(s.usage?.completionTokens).toBe(answer.pieces.length);
      });
    }

    it('ends a stream with the engine error event, read as a mid-stream failure', () => {
      const params = paramsFor(kind, api, true);
      const writer = createAnswerWriter({ kind, params, answer: LENGTH_ANSWER, id: 'x', arrivedEpochMs: 1_760_000_000_000, seed: 7 });
      const writes = [...writer.token(0, times(0)), ...writer.token(1, times(1)), ...writer.failure()];
      const s = summary(decode(kind, api, true, writes));
      expect(s.text).toBe('Bread starts');
      expect(s.errors).toHaveLength(1);
      expect(s.errors[0]?.error?.classification).toBe('server_error_midstream');
      expect(s.finish).toBeUndefined();
    });

    it('writes a malformed chunk that the decoder refuses as not JSON', () => {
      const params = paramsFor(kind, api, true);
      const writer = createAnswerWriter({ kind, params, answer: LENGTH_ANSWER, id: 'x', arrivedEpochMs: 1_760_000_000_000, seed: 7 });
      expect(() => decode(kind, api, true, [...writer.token(0, times(0)), writer.malformed(1, times(1))])).toThrow(MalformedChunkError);
    });
  });
}

describe('engine specifics', () => {
  it('vLLM: the role chunk comes with the first token, and usage only with include_usage', () => {
    const params = paramsFor('vllm', 'chat', true, { stream_options: null });
    const writes = streamWrites('vllm', params, LENGTH_ANSWER);
    expect(writes[0]).toContain('"delta":{"role":"assistant","content":""}');
    expect(writes.join('')).not.toContain('"usage"');
    expect(writes.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('vLLM: a stop string is reported as stop_reason', () => {
    const params = paramsFor('vllm', 'chat', false);
    const answer = planAnswer({ seed: 1, prompt: 'x', maxTokens: 400, force: true, minTokens: 0 });
    const stop = answer.pieces.slice(3, 5).join('');
    const cut = planAnswer({ seed: 1, prompt: 'x', maxTokens: 400, force: false, stop: [stop] });
    const writer = createAnswerWriter({ kind: 'vllm', params, answer: cut, id: 'x', arrivedEpochMs: 0, seed: 1 });
    const body = JSON.parse(writer.whole(times(0)).body);
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.choices[0].stop_reason).toBe(stop);
  });

  it('llama.cpp: one write carries the role and the first token; timings sit on the last event', () => {
    const params = paramsFor('llamacpp', 'chat', true);
    const writes = streamWrites('llamacpp', params, EOS_ANSWER);
    expect(writes[0]).toMatch(/^data: \{"choices":\[\{"finish_reason":null,"index":0,"delta":\{"role":"assistant","content":null\}\}\].*\n\ndata: .*"content":"Fish"/s);
    const events = writes.join('').split('\n\n').filter((e) => e.startsWith('data: {'));
    expect(events.filter((e) => e.includes('"timings"'))).toEqual([events.at(-1)]);
    expect(writes.at(-1)).toBe('data: [DONE]\n\n');
  });

  it('TGI generate: EOS is a special token whose text stays out of generated_text', () => {
    const params = paramsFor('tgi', 'generate', true);
    const last = JSON.parse(streamWrites('tgi', params, EOS_ANSWER).at(-1)!.slice(6));
    expect(last.token).toMatchObject({ id: 128009, text: '<|eot_id|>', special: true });
    expect(last.generated_text).toBe(EOS_ANSWER.pieces.join(''));
    expect(last.details).toEqual({ finish_reason: 'eos_token', generated_tokens: 10, seed: null, input_length: params.promptTokens });
  });

  it('Ollama: Go-style escaping of & < > on the wire, plain text after decoding', () => {
    const params = paramsFor('ollama', 'chat', true);
    const wire = streamWrites('ollama', params, EOS_ANSWER).join('');
    expect(wire).toContain('" \\u0026"');
    expect(wire).toContain('" \\u003c"');
    expect(wire).not.toMatch(/[<>&]/);
  });

  it('Ollama: durations are nanoseconds and total ≥ load + prompt_eval + eval', () => {
    const params = paramsFor('ollama', 'generate', true);
    const done = JSON.parse(streamWrites('ollama', params, LENGTH_ANSWER).at(-1)!);
    expect(done.done).toBe(true);
    expect(done.eval_duration).toBe(40_000_000); // tokens 0..4, 10 ms apart
    expect(done.prompt_eval_duration).toBe(5_000_000);
    expect(done.total_duration).toBeGreaterThanOrEqual(done.load_duration + done.prompt_eval_duration + done.eval_duration);
    expect(done.context.length).toBeGreaterThan(params.promptTokens);
  });
});
