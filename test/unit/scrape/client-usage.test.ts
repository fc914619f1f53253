// The collector's own CPU, memory and event-loop lag, sampled while the test keeps it busy.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startClientSampler } from '../../../collector/scrape/client-usage.ts';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spin: CPU time, and an event loop that cannot turn.
  }
};
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startClientSampler', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('samples CPU percent per interval, the RSS high-water mark and event-loop delay p99', async () => {
    const sampler = startClientSampler({ intervalMs: 20 });
    for (let i = 0; i < 5; i += 1) {
      busy(40);
      await idle(25);
    }
    const usage = sampler.stop();
    expect(usage.cpuPercent.count).toBeGreaterThanOrEqual(3);
    // Spinning 40 of every ~65 ms: well above idle, and no more than a core or two.
    expect(usage.cpuPercent.max!).toBeGreaterThan(20);
    expect(usage.cpuPercent.max!).toBeLessThan(400);
    expect(usage.rssMaxBytes).toBeGreaterThan(10 * 1024 * 1024);
    // The loop was blocked for 40 ms at a time (how closely the figure follows: test/timing/loop-lag.test.ts).
    expect(usage.eventLoopLagP99Ms!).toBeGreaterThan(20);
  });

  it('gives an empty distribution and no delay figure when stopped at once', () => {
    const usage = startClientSampler({ intervalMs: 1000 }).stop();
    expect(usage.cpuPercent.count).toBe(0);
    expect(usage.cpuPercent.mean).toBeNull();
    expect(usage.rssMaxBytes).toBeGreaterThan(0);
    expect(usage.eventLoopLagP99Ms).toBeNull();
  });

  it('skips samples it cannot take (EMFILE reading RSS) instead of throwing from its timer', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const emfile = Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), { code: 'EMFILE' });
    const rss = vi.spyOn(process.memoryUsage, 'rss').mockImplementation(() => {
      throw emfile;
    });
    const cpu = vi.spyOn(process, 'cpuUsage').mockImplementation(() => {
      throw emfile;
    });
    const sampler = startClientSampler({ intervalMs: 10 });
    // Each tick runs the sample synchronously here: a throw would surface from this call.
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    rss.mockRestore();
    cpu.mockRestore();
    const usage = sampler.stop();
    expect(usage.rssMaxBytes).toBeGreaterThan(0);
  });

  it('rejects a non-positive interval', () => {
    expect(() => startClientSampler({ intervalMs: 0 })).toThrow(RangeError);
  });
});
