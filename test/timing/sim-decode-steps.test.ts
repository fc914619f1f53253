// The simulator writes each token when its engine step ends: with 4 ms decode steps, the token
// chunks of a stream are about 4 ms apart in its ground-truth trace.
import { describe, expect, it } from 'vitest';
import { startSim } from '../conformance/harness.ts';

describe('simulator decode steps', () => {
  it('space a vLLM stream\'s token writes by the step time', async () => {
    const sim = await startSim('vllm', { profile: { decodeStepBaseMs: 4 } });
    try {
      const response = await fetch(`${sim.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: sim.model, messages: [{ role: 'user', content: 'Tell me something.' }], max_tokens: 30, stream: true }),
      });
      await response.text();
      const chunks = sim.trace[0]!.chunksAtMs;
      const gaps = chunks.slice(2, -3).map((t, i) => t - chunks[i + 1]!);
      const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
      expect(median).toBeGreaterThan(3);
      expect(median).toBeLessThan(6);
    } finally {
      await sim.close();
    }
  });
});
