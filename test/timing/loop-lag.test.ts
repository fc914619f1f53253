// The collector's event-loop lag figure is the lag itself: near 0 for an idle loop (not the
// sampling period), and close to a known block when the loop is blocked.
import { describe, expect, it } from 'vitest';
import { startClientSampler } from '../../collector/scrape/client-usage.ts';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spin: the event loop cannot turn.
  }
};
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event-loop lag', () => {
  it('is under 2 ms for an idle collector', async () => {
    const sampler = startClientSampler({ intervalMs: 100 });
    await idle(1000);
    expect(sampler.stop().eventLoopLagP99Ms!).toBeLessThan(2);
  });

  it('is within 20 % of a block of known length', async () => {
    const sampler = startClientSampler({ intervalMs: 100 });
    // Blocked 30 ms of every ~32: most of the samples are a block.
    for (let i = 0; i < 30; i++) {
      busy(30);
      await idle(2);
    }
    const lag = sampler.stop().eventLoopLagP99Ms!;
    expect(lag).toBeGreaterThan(30 * 0.8);
    expect(lag).toBeLessThan(30 * 1.2);
  });
});
