// The two clocks the scheduler runs on: real time for the simulated servers, and virtual time so
// tests can play hours of load in milliseconds, deterministically.
import { performance } from 'node:perf_hooks';
import type { Clock } from '../types.ts';

/**
 * performance.now() and Node timers. A 0 ms timer uses setImmediate: it still yields to I/O (so a
 * zero-cost engine cannot starve the sockets) without setTimeout's 1 ms minimum. Timers are left
 * ref'd on purpose: pending engine work keeps the process alive.
 */
export function realClock(): Clock {
  return {
    now: () => performance.now(),
    setTimer(fn, delayMs) {
      if (!(delayMs > 0)) {
        const handle = setImmediate(fn);
        return { cancel: () => clearImmediate(handle) };
      }
      const handle = setTimeout(fn, delayMs);
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

export interface VirtualClock extends Clock {
  /** Runs every timer due at or before `t`, in due order (ties: the order they were set), then sets now = t. */
  advanceTo(t: number): void;
  /** Runs timers until none is left. Throws if more than `maxTimers` fire (a loop that never idles). */
  runUntilIdle(maxTimers?: number): void;
  /** Timers set and not yet fired or cancelled. */
  pendingTimers(): number;
}

interface VirtualTimer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Time starts at `startMs` and moves only when told to. Timers fire synchronously inside advanceTo/runUntilIdle. */
export function virtualClock(startMs = 0): VirtualClock {
  let now = startMs;
  let seq = 0;
  let live = 0;
  const heap: VirtualTimer[] = [];

  const before = (a: VirtualTimer, b: VirtualTimer) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

  function push(timer: VirtualTimer): void {
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  function pop(): VirtualTimer | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
    return top;
  }

  /** Fires the earliest live timer if it is due by `limit`; false when there is none. */
  function fireNext(limit: number): boolean {
    for (;;) {
      const top = heap[0];
      if (top === undefined || top.due > limit) return false;
      pop();
      if (top.cancelled) continue;
      live -= 1;
      top.cancelled = true;
      now = Math.max(now, top.due);
      top.fn();
      return true;
    }
  }

  return {
    now: () => now,
    setTimer(fn, delayMs) {
      const timer: VirtualTimer = { due: now + Math.max(0, delayMs || 0), seq: seq++, fn, cancelled: false };
      live += 1;
      push(timer);
      return {
        cancel() {
          if (timer.cancelled) return;
          timer.cancelled = true;
          live -= 1;
        },
      };
    },
    advanceTo(t) {
      while (fireNext(t));
      now = Math.max(now, t);
    },
    runUntilIdle(maxTimers = 100_000_000) {
      let fired = 0;
      while (fireNext(Number.POSITIVE_INFINITY)) {
        fired += 1;
        if (fired > maxTimers) throw new Error(`virtual clock still busy after ${maxTimers} timers`);
      }
    },
    pendingTimers: () => live,
  };
}
