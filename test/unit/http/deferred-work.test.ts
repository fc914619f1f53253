// Deferred decoding runs every task once, in order, however long the flow lasts.
import { describe, expect, it } from 'vitest';
import { afterIoBatch } from '../../../collector/http/deferred-work.ts';

describe('afterIoBatch', () => {
  it('runs tasks in FIFO order, including tasks queued by tasks, across many drain slices', async () => {
    const ran: number[] = [];
    const total = 20_000;
    let next = 0;
    const all = new Promise<void>((resolve) => {
      const push = (): void => {
        const n = next++;
        afterIoBatch(() => {
          ran.push(n);
          // A steady flow: each early task queues another, so the queue never empties at once.
          if (next < total) push();
          if (ran.length === total) resolve();
        });
      };
      for (let i = 0; i < 2_000; i += 1) push();
    });
    await all;
    expect(ran).toHaveLength(total);
    expect(ran.every((n, i) => n === i)).toBe(true);
  });
});
