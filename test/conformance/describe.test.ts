// The collector's own adapters against the simulated engines over real HTTP: describe() must see
// the simulator's mark and read model, version and context, health checks must pass, and every
// response must carry x-servebench-simulated: 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEngine } from '../../collector/engines/index.ts';
import { createDispatcher } from '../../collector/http/dispatcher.ts';
import { makeFetcher } from '../../collector/http/fetch-text.ts';
import { SIM_KINDS, type SimKind } from '../../collector/sim/types.ts';
import { startSim, type RunningSim } from './harness.ts';

const EXPECTED: Record<SimKind, { version: string; maxModelTokens: number }> = {
  vllm: { version: '0.12.0', maxModelTokens: 8192 },
  tgi: { version: '3.3.4', maxModelTokens: 8192 },
  // Per-slot context: the profile's KV cache shared by its slots.
  ollama: { version: '0.12.6', maxModelTokens: 8192 },
  llamacpp: { version: 'b7412-6c2e9f8a1', maxModelTokens: 4096 },
};

const dispatcher = createDispatcher({ insecure: false }, 5000);
afterAll(async () => dispatcher.close());

for (const kind of SIM_KINDS) {
  describe(`the ${kind} adapter against the ${kind} simulator`, () => {
    let sim: RunningSim;
    beforeAll(async () => {
      sim = await startSim(kind);
    });
    afterAll(async () => sim.close());

    it('describe() reports simulated: true, the model, the version and the context', async () => {
      const adapter = findEngine(kind)!;
      const info = await adapter.describe(makeFetcher(dispatcher, new URL(sim.url), {}, 5000), sim.model);
      expect(info.problems).toEqual([]);
      expect(info).toMatchObject({ simulated: true, model: sim.model, ...EXPECTED[kind] });
    });

    it('passes the adapter health check', async () => {
      const response = await fetch(sim.url + findEngine(kind)!.healthPath);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-servebench-simulated')).toBe('1');
    });

    it('marks every response, errors and unknown paths included', async () => {
      for (const [method, path] of [['GET', '/no/such/path'], ['POST', findEngine(kind)!.buildRequest(findEngine(kind)!.apis[0]!, { model: sim.model, messages: [], maxTokens: 1, temperature: 0, forceOutputLength: false, stream: false }).path]] as const) {
        const response = await fetch(sim.url + path, { method, ...(method === 'POST' ? { body: '{not json', headers: { 'content-type': 'application/json' } } : {}) });
        await response.arrayBuffer();
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.headers.get('x-servebench-simulated')).toBe('1');
      }
    });
  });
}

describe('the generic openai adapter', () => {
  it('sees the mark on the vLLM and llama.cpp simulators /v1/models', async () => {
    for (const kind of ['vllm', 'llamacpp'] as const) {
      const sim = await startSim(kind);
      try {
        const info = await findEngine('openai')!.describe(makeFetcher(dispatcher, new URL(sim.url), {}, 5000), sim.model);
        expect(info).toMatchObject({ simulated: true, model: sim.model });
      } finally {
        await sim.close();
      }
    }
  });
});
