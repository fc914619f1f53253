import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetcher } from '../../../collector/engines/engine.ts';
import { createDispatcher } from '../../../collector/http/dispatcher.ts';
import { makeFetcher } from '../../../collector/http/fetch-text.ts';
import { startSimulation, type Simulation } from '../../../collector/sim/start.ts';
import { countTokens } from '../../../collector/sim/text/tokenizer.ts';
import type { SimKind } from '../../../collector/sim/types.ts';
import { createSyntheticPrompts, engineTokenizer, withinTolerance } from '../../../collector/workloads/synthetic.ts';

const TEXTS = [
  'Hello, world!',
  'A café in Lyon served 1234567 croissants & 42 <tiny> cups of coffee.\n\nThen it closed.',
  'internationalisation of antidisestablishmentarianism',
];

const dispatcher = createDispatcher({ insecure: false }, 5000);
afterAll(async () => dispatcher.close());

async function startOne(kind: SimKind): Promise<{ sim: Simulation; fetcher: Fetcher; model: string }> {
  const sim = await startSimulation([{ kind, port: 0, profile: kind, label: kind }], { seed: 1 });
  const engine = sim.engines[0]!;
  return { sim, fetcher: makeFetcher(dispatcher, new URL(engine.url), {}, 5000), model: engine.model };
}

for (const kind of ['vllm', 'tgi', 'llamacpp'] as const) {
  describe(`engineTokenizer against the ${kind} simulator's /tokenize`, () => {
    let running: Awaited<ReturnType<typeof startOne>>;
    beforeAll(async () => {
      running = await startOne(kind);
    });
    afterAll(async () => running.sim.close());

    it('is exact and counts the text alone (no BOS), as the engine tokenizes it', async () => {
      const tokenizer = engineTokenizer(kind, running.fetcher, running.model);
      expect(tokenizer).not.toBeNull();
      expect(tokenizer!.exact).toBe(true);
      for (const text of TEXTS) expect(await tokenizer!.count(text)).toBe(countTokens(text));
      expect(await tokenizer!.count('')).toBe(0);
    });

    it('calibrates synthetic prompts that the engine itself counts within tolerance', async () => {
      const tokenizer = engineTokenizer(kind, running.fetcher, running.model)!;
      const prompts = await createSyntheticPrompts({ count: 3, length: { mean: 700, stdev: 300, min: 100, max: 1500 }, seed: 4, tokenizer });
      for (const p of prompts) {
        expect(p.approximate).toBe(false);
        expect(await tokenizer.count(p.messages[0]!.content)).toBe(p.measuredTokens);
        expect(withinTolerance(p.measuredTokens, p.targetTokens)).toBe(true);
      }
    });
  });
}

describe('engineTokenizer without an engine tokenizer', () => {
  it('is null for ollama and generic OpenAI-compatible servers, which have no /tokenize', async () => {
    const running = await startOne('ollama');
    try {
      expect(engineTokenizer('ollama', running.fetcher, running.model)).toBeNull();
      // The simulated Ollama really has no such endpoint.
      expect((await running.fetcher({ method: 'POST', path: '/tokenize', body: { content: 'hi' } })).status).toBe(404);
    } finally {
      await running.sim.close();
    }
    const unused: Fetcher = async () => {
      throw new Error('no call expected');
    };
    expect(engineTokenizer('openai', unused, 'm')).toBeNull();
  });

  it('reports an engine that rejects the request (vLLM with another model name)', async () => {
    const running = await startOne('vllm');
    try {
      const tokenizer = engineTokenizer('vllm', running.fetcher, 'not-the-served-model')!;
      await expect(tokenizer.count('hello')).rejects.toThrow(/HTTP 404/u);
    } finally {
      await running.sim.close();
    }
  });
});
