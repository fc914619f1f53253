// The official `openai` client against the simulated vLLM and llama.cpp servers: chat and
// completions, streamed and not, usage, finish reasons, forced length, models and errors.
import OpenAI, { APIError, NotFoundError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionCreateParamsNonStreaming, CompletionCreateParamsStreaming } from 'openai/resources/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from './harness.ts';

const messages = [
  { role: 'system' as const, content: 'You are a concise assistant.' },
  { role: 'user' as const, content: 'What is the capital of France?' },
];

for (const kind of ['vllm', 'llamacpp'] as const) {
  describe(`openai client against the ${kind} simulator`, () => {
    let sim: RunningSim;
    let client: OpenAI;

    beforeAll(async () => {
      sim = await startSim(kind);
      client = new OpenAI({ apiKey: 'sk-simulated', baseURL: `${sim.url}/v1`, maxRetries: 0 });
    });
    afterAll(async () => sim.close());

    type StreamParams = Omit<ChatCompletionCreateParamsStreaming, 'stream'>;
    async function streamChat(params: StreamParams) {
      const stream = await client.chat.completions.create({ ...params, stream: true });
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | null | undefined;
      let roles = 0;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice?.delta.role) roles += 1;
        text += choice?.delta.content ?? '';
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, finish, usage, roles };
    }

    it('streams a chat answer that equals the non-streamed one for the same seed', async () => {
      const streamed = await streamChat({ model: sim.model, messages, seed: 11, max_tokens: 300, stream_options: { include_usage: true } });
      const whole = await client.chat.completions.create({ model: sim.model, messages, seed: 11, max_tokens: 300 } satisfies ChatCompletionCreateParamsNonStreaming);
      expect(streamed.text.length).toBeGreaterThan(20);
      expect(streamed.text).toBe(whole.choices[0]?.message.content);
      expect(streamed.roles).toBe(1);
      expect(streamed.finish).toBe('stop');
      expect(whole.choices[0]?.finish_reason).toBe('stop');
      // vLLM adds "prompt_tokens_details": null to the non-streamed usage only.
      const counts = (u: OpenAI.CompletionUsage | null | undefined) => u && { prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens };
      expect(counts(streamed.usage)).toEqual(counts(whole.usage));
      expect(whole.usage?.total_tokens).toBe((whole.usage?.prompt_tokens ?? 0) + (whole.usage?.completion_tokens ?? 0));
      expect(whole.model).toBe(sim.model);
    });

    it('stops at max_tokens with finish_reason "length"', async () => {
      const s = await streamChat({ model: sim.model, messages, seed: 3, max_tokens: 4, stream_options: { include_usage: true } });
      expect(s.finish).toBe('length');
      expect(s.usage?.completion_tokens).toBe(4);
    });

    it('reports the engine error event as an APIError after the partial text', async () => {
      const failing = await startSim(kind, { faults: [{ midStream: { atToken: 3, kind: 'error-event' } }] });
      try {
        const faulty = new OpenAI({ apiKey: 'sk-simulated', baseURL: `${failing.url}/v1`, maxRetries: 0 });
        const stream = await faulty.chat.completions.create({ model: failing.model, messages, seed: 5, max_tokens: 50, stream: true });
        let text = '';
        const read = async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        };
        await expect(read()).rejects.toBeInstanceOf(APIError);
        expect(text.length).toBeGreaterThan(0);
        expect(failing.trace.map((t) => t.outcome)).toEqual(['error-event']);
      } finally {
        await failing.close();
      }
    });

    it('produces exactly max_tokens with ignore_eos (vLLM also min_tokens)', async () => {
      const extra = kind === 'vllm' ? { ignore_eos: true, min_tokens: 450 } : { ignore_eos: true };
      const s = await streamChat({ model: sim.model, messages, seed: 1, max_tokens: 450, stream_options: { include_usage: true }, ...extra } as StreamParams);
      expect(s.usage?.completion_tokens).toBe(450);
      expect(s.finish).toBe('length');
    });

    it('streams completions text equal to the non-streamed text', async () => {
      const params = { model: sim.model, prompt: 'Once upon a time', seed: 9, max_tokens: 40 };
      const stream = await client.completions.create({ ...params, stream: true, stream_options: { include_usage: true } } as CompletionCreateParamsStreaming);
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.text ?? '';
        if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      const whole = await client.completions.create(params as CompletionCreateParamsNonStreaming);
      expect(text).toBe(whole.choices[0]?.text);
      expect(finish).toBe(whole.choices[0]?.finish_reason);
      expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
    });

    it('lists the served model', async () => {
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toEqual([sim.model]);
    });

    if (kind === 'vllm') {
      it('answers an unknown model with NotFoundError', async () => {
        const call = client.chat.completions.create({ model: 'gpt-4o', messages });
        await expect(call).rejects.toBeInstanceOf(NotFoundError);
        await expect(client.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toThrow('The model `gpt-4o` does not exist.');
      });
    }
  });
}
