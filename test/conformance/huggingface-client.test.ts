// The Hugging Face JS client (@huggingface/inference v4) against the simulated TGI.
//
// In v4, `textGenerationStream` with an endpoint URL no longer calls TGI's native /generate_stream:
// it posts an OpenAI completions body to `<endpoint>/v1/completions` and yields those chunks
// as they come. TGI serves that route too, so the simulator does, as TGI writes it. The native
// API is reached with the client's (deprecated) `streamingRequest` pointed at /generate_stream,
// which parses the same SSE and yields TGI's token events.
import { InferenceClient, type TextGenerationStreamOutput } from '@huggingface/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from './harness.ts';

const messages = [{ role: 'user', content: 'What is the capital of France?' }];

describe('Hugging Face client against the TGI simulator', () => {
  let sim: RunningSim;
  let client: InferenceClient;

  beforeAll(async () => {
    sim = await startSim('tgi');
    client = new InferenceClient().endpoint(sim.url);
  });
  afterAll(async () => sim.close());

  it('native /generate_stream: one token event each, details with finish_reason and generated_tokens on the last', async () => {
    const native = new InferenceClient().endpoint(`${sim.url}/generate_stream`);
    const events: TextGenerationStreamOutput[] = [];
    for await (const event of native.streamingRequest<TextGenerationStreamOutput>({ inputs: 'What is deep learning?', parameters: { max_new_tokens: 500, details: true, seed: 4 } })) {
      events.push(event);
    }
    const last = events.at(-1)!;
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i + 1));
    expect(events.slice(0, -1).every((e) => e.details === null && e.generated_text === null)).toBe(true);
    expect(last.details?.finish_reason).toBe('eos_token');
    expect(last.details?.generated_tokens).toBe(events.length);
    expect(last.token).toMatchObject({ special: true, text: '<|eot_id|>' });
    const text = events.filter((e) => !e.token.special).map((e) => e.token.text).join('');
    expect(last.generated_text).toBe(text);
  });

  it('native /generate_stream stops at max_new_tokens with finish_reason "length"', async () => {
    const native = new InferenceClient().endpoint(`${sim.url}/generate_stream`);
    const events: TextGenerationStreamOutput[] = [];
    for await (const event of native.streamingRequest<TextGenerationStreamOutput>({ inputs: 'Hi', parameters: { max_new_tokens: 6, details: true } })) events.push(event);
    expect(events).toHaveLength(6);
    expect(events.at(-1)?.details).toMatchObject({ finish_reason: 'length', generated_tokens: 6 });
  });

  it('textGenerationStream (TGI /v1/completions) streams the text textGeneration returns whole', async () => {
    const chunks: string[] = [];
    let finish: string | undefined;
    for await (const chunk of client.textGenerationStream({ inputs: 'Once upon a time', parameters: { max_new_tokens: 12, seed: 8 } })) {
      // The v4 client passes the OpenAI completions chunks through, typed as token events.
      const choice = (chunk as unknown as { choices: Array<{ text: string; finish_reason: string }> }).choices[0];
      chunks.push(choice?.text ?? '');
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    const whole = await client.textGeneration({ inputs: 'Once upon a time', parameters: { max_new_tokens: 12, seed: 8 } });
    expect(chunks).toHaveLength(12);
    expect(finish).toBe('length');
    expect(chunks.join('')).toBe(whole.generated_text);
  });

  it('chatCompletionStream equals chatCompletion for the same seed, with usage and finish_reason', async () => {
    let text = '';
    let finish: string | undefined;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let chunks = 0;
    for await (const chunk of client.chatCompletionStream({ model: 'tgi', messages, seed: 12, max_tokens: 500, stream_options: { include_usage: true } })) {
      const choice = chunk.choices[0];
      if (choice) chunks += 1;
      text += choice?.delta.content ?? '';
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    const whole = await client.chatCompletion({ model: 'tgi', messages, seed: 12, max_tokens: 500 });
    expect(text.length).toBeGreaterThan(20);
    expect(whole.choices[0]?.message.content).toBe(text);
    expect(finish).toBe('stop');
    expect(whole.choices[0]?.finish_reason).toBe('stop');
    // TGI: one token per chunk, the finish chunk carrying the EOS token.
    expect(usage?.completion_tokens).toBe(chunks);
    expect(whole.usage).toMatchObject(usage!);
    expect(whole.model).toBe(sim.model);
  });

  it('a too-long streamed request fails inside the stream, as TGI validates it there', async () => {
    const call = async () => {
      for await (const _ of client.chatCompletionStream({ model: 'tgi', messages, max_tokens: 100_000 })) void _;
    };
    await expect(call()).rejects.toThrow(/Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= 8192/);
  });
});
