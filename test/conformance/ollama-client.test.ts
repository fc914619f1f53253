// The official `ollama` client against the simulated Ollama: chat and generate, streamed and not,
// done_reason, eval_count, nanosecond durations, and the list/ps/show/version endpoints.
import { Ollama, type ChatResponse } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from './harness.ts';

const messages = [{ role: 'user', content: 'Why is the sky blue?' }];

describe('ollama client against the Ollama simulator', () => {
  let sim: RunningSim;
  let ollama: Ollama;

  beforeAll(async () => {
    // 5 ms per decode step, so decode time is clearly visible in the durations.
    sim = await startSim('ollama', { profile: { decodeStepBaseMs: 5, prefillMsPerToken: 0.05 } });
    ollama = new Ollama({ host: sim.url });
  });
  afterAll(async () => sim.close());

  it('streams a chat answer equal to the non-streamed one, with counts and ns durations', async () => {
    const started = performance.now();
    const stream = await ollama.chat({ model: sim.model, messages, stream: true, options: { seed: 7 } });
    let text = '';
    let lines = 0;
    let final: ChatResponse | undefined;
    for await (const part of stream) {
      text += part.message.content;
      if (part.done) final = part;
      else lines += 1;
    }
    const elapsedNs = (performance.now() - started) * 1e6;
    const whole = await ollama.chat({ model: sim.model, messages, stream: false, options: { seed: 7 } });

    expect(text.length).toBeGreaterThan(20);
    expect(whole.message.content).toBe(text);
    expect(final?.done_reason).toBe('stop');
    // One line per visible token; eval_count adds the EOS token.
    expect(final?.eval_count).toBe(lines + 1);
    expect(whole.eval_count).toBe(final?.eval_count);
    expect(final?.prompt_eval_count).toBeGreaterThan(0);
    const f = final!;
    expect(f.total_duration).toBeGreaterThanOrEqual(f.load_duration + f.prompt_eval_duration + f.eval_duration);
    expect(f.total_duration).toBeLessThanOrEqual(elapsedNs);
    // Decode time: (eval_count - 1) steps of 5 ms after the first token.
    expect(f.eval_duration).toBeGreaterThanOrEqual((f.eval_count - 1) * 5e6 * 0.9);
    // Whole microseconds ×1000, truncated: like the llama-server runner's, they end in 000 or 999.
    expect([0, 999]).toContain(f.eval_duration % 1000);
  });

  it('caps the answer with num_predict: done_reason "length", eval_count = num_predict', async () => {
    const stream = await ollama.chat({ model: sim.model, messages, stream: true, options: { num_predict: 5 } });
    let final: ChatResponse | undefined;
    for await (const part of stream) if (part.done) final = part;
    expect(final?.done_reason).toBe('length');
    expect(final?.eval_count).toBe(5);
  });

  it('generates, streamed and not, with the same text and a context array', async () => {
    const stream = await ollama.generate({ model: sim.model, prompt: 'Tell me about tides.', stream: true, options: { seed: 3 } });
    let text = '';
    for await (const part of stream) text += part.response;
    const whole = await ollama.generate({ model: sim.model, prompt: 'Tell me about tides.', options: { seed: 3 } });
    expect(whole.response).toBe(text);
    expect(whole.done).toBe(true);
    expect(whole.context.length).toBeGreaterThan(whole.prompt_eval_count);
  });

  it('lists, shows and reports the served model and the version', async () => {
    const list = await ollama.list();
    expect(list.models.map((m) => m.name)).toEqual([sim.model]);
    const ps = await ollama.ps();
    expect(ps.models[0]).toMatchObject({ name: sim.model, details: { format: 'gguf' } });
    const show = await ollama.show({ model: sim.model });
    expect(show.details.family).toBe('llama');
    expect(show.template).toContain('<|start_header_id|>');
    const version = await ollama.version();
    expect(version.version).toBe('0.12.6');
  });

  it('rejects an unknown model with a 404 ResponseError', async () => {
    await expect(ollama.chat({ model: 'nope:1b', messages })).rejects.toMatchObject({ status_code: 404, error: "model 'nope:1b' not found" });
  });

  it('surfaces the mid-stream {"error"} line as an error after the partial text', async () => {
    const failing = await startSim('ollama', { faults: [{ midStream: { atToken: 2, kind: 'error-event' } }] });
    try {
      const client = new Ollama({ host: failing.url });
      const stream = await client.chat({ model: failing.model, messages, stream: true });
      let text = '';
      const read = async () => {
        for await (const part of stream) text += part.message.content;
      };
      await expect(read()).rejects.toThrow('model runner has unexpectedly stopped');
      expect(text.length).toBeGreaterThan(0);
    } finally {
      await failing.close();
    }
  });
});
