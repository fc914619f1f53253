// A LoadDriver on virtual time for the shape tests: each send "takes" a set service time, and
// `run` plays a phase to its end by jumping the clock from timer to timer, so minutes of load take
// milliseconds and every timing is exact.
import { virtualClock } from '../../../collector/sim/model/clocks.ts';
import { createRng } from '../../../collector/sim/model/rng.ts';
import type { LoadDriver } from '../../../collector/load/types.ts';

export interface SendRecord {
  seq: number;
  scheduledAt: number;
  sentAt: number;
  warmup: boolean;
  /** Sends in flight just after this one started, itself included. */
  inFlight: number;
  doneAt?: number;
}

export interface FakeOptions {
  /** Simulated service time of a send, ms (default 10). */
  serviceMs?: number | ((seq: number) => number);
  /** Every sleep overshoots by this much, like a late timer (default 0). */
  sleepLatenessMs?: number;
  /** Sleeps over 1 ms wake this much early and shorter ones take 1 ms, like Node's timers against performance.now(). */
  sleepEarlyMs?: number;
  seed?: number;
  /** Virtual time at which the phase starts (default 1000, so offsets and absolute times differ). */
  startMs?: number;
  /** Makes send `seq` reject. */
  failAt?: number;
}

export interface FakeLoad {
  driver: LoadDriver;
  sends: SendRecord[];
  startMs: number;
  now(): number;
  /** Aborts the phase at virtual time `atMs` (absolute). */
  abortAt(atMs: number): void;
  /** Plays virtual time until `phase` settles; throws if it waits on nothing. */
  run<T>(phase: Promise<T>): Promise<T>;
}

export function fakeLoad(options: FakeOptions = {}): FakeLoad {
  const startMs = options.startMs ?? 1000;
  const clock = virtualClock(startMs);
  const controller = new AbortController();
  const sends: SendRecord[] = [];
  // Due times of live timers, to know where to jump next (the virtual clock does not say).
  const live = new Set<{ due: number; cancelled: boolean }>();
  let inFlight = 0;

  // Timers due together run one per turn with promise continuations in between, as Node runs
  // each timer callback as its own task; the virtual clock alone would run them back to back.
  const ready: (() => void)[] = [];
  const setTimer = (fn: () => void, delayMs: number) => {
    const entry = { due: clock.now() + Math.max(0, delayMs), cancelled: false };
    live.add(entry);
    clock.setTimer(() => ready.push(() => entry.cancelled || (live.delete(entry), fn())), delayMs);
    return () => {
      entry.cancelled = true;
      live.delete(entry);
    };
  };

  const serviceMs = (seq: number) => {
    const s = options.serviceMs ?? 10;
    return typeof s === 'number' ? s : s(seq);
  };

  const driver: LoadDriver = {
    now: () => clock.now(),
    signal: controller.signal,
    rng: createRng(options.seed ?? 1),
    sleep(ms) {
      return new Promise((resolve) => {
        if (controller.signal.aborted) return resolve();
        const early = options.sleepEarlyMs;
        const actualMs = early === undefined ? ms : ms > 1 ? ms - early : 1;
        const cancel = setTimer(done, actualMs + (options.sleepLatenessMs ?? 0));
        function done(): void {
          cancel();
          controller.signal.removeEventListener('abort', done);
          resolve();
        }
        controller.signal.addEventListener('abort', done, { once: true });
      });
    },
    send(seq, scheduledAt, warmup) {
      inFlight += 1;
      const record: SendRecord = { seq, scheduledAt, sentAt: clock.now(), warmup, inFlight };
      sends.push(record);
      return new Promise((resolve, reject) => {
        setTimer(() => {
          inFlight -= 1;
          record.doneAt = clock.now();
          if (seq === options.failAt) reject(new Error(`send ${seq} failed`));
          else resolve();
        }, serviceMs(seq));
      });
    },
  };

  return {
    driver,
    sends,
    startMs,
    now: () => clock.now(),
    abortAt(atMs) {
      setTimer(() => controller.abort(), atMs - clock.now());
    },
    async run(phase) {
      let settled = false;
      phase.then(
        () => (settled = true),
        () => (settled = true),
      );
      for (;;) {
        // Lets every promise continuation triggered so far run before time moves on.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (settled) return phase;
        const fire = ready.shift();
        if (fire) {
          fire();
          continue;
        }
        let next = Number.POSITIVE_INFINITY;
        for (const entry of live) next = Math.min(next, entry.due);
        if (next === Number.POSITIVE_INFINITY) throw new Error('the phase waits on nothing: no timer is pending and it has not returned');
        clock.advanceTo(next);
      }
    },
  };
}

/** Offsets of the sends from the phase start. */
export const offsets = (load: FakeLoad) => load.sends.map((s) => s.scheduledAt - load.startMs);
