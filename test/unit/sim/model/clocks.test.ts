import { describe, it, expect } from 'vitest';
import { realClock, virtualClock } from '../../../../collector/sim/model/clocks.ts';

describe('virtual clock', () => {
  it('fires timers in due order, ties in the order they were set, with now at each due time', () => {
    const clock = virtualClock();
    const fired: Array<[string, number]> = [];
    clock.setTimer(() => fired.push(['b', clock.now()]), 20);
    clock.setTimer(() => fired.push(['a', clock.now()]), 10);
    clock.setTimer(() => fired.push(['c', clock.now()]), 20);
    clock.setTimer(() => fired.push(['zero', clock.now()]), 0);
    clock.runUntilIdle();
    expect(fired).toEqual([
      ['zero', 0],
      ['a', 10],
      ['b', 20],
      ['c', 20],
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('advances only as far as told and runs timers set by timers that fall due on the way', () => {
    const clock = virtualClock(100);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      clock.setTimer(tick, 30);
    };
    clock.setTimer(tick, 30);
    clock.advanceTo(200);
    expect(fired).toEqual([130, 160, 190]);
    expect(clock.now()).toBe(200);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('does not fire a cancelled timer and counts it as gone', () => {
    const clock = virtualClock();
    let fired = false;
    const timer = clock.setTimer(() => (fired = true), 5);
    expect(clock.pendingTimers()).toBe(1);
    timer.cancel();
    timer.cancel();
    expect(clock.pendingTimers()).toBe(0);
    clock.runUntilIdle();
    expect(fired).toBe(false);
  });

  it('refuses to spin forever on a loop that never idles', () => {
    const clock = virtualClock();
    const again = () => clock.setTimer(again, 0);
    again();
    expect(() => clock.runUntilIdle(1000)).toThrow(/still busy/);
  });
});

describe('real clock', () => {
  it('runs a 0 ms timer after the current task, and not at all once cancelled', async () => {
    const clock = realClock();
    const order: string[] = [];
    clock.setTimer(() => order.push('zero'), 0);
    clock.setTimer(() => order.push('cancelled'), 0).cancel();
    clock.setTimer(() => order.push('later-cancelled'), 1).cancel();
    order.push('sync');
    await new Promise((resolve) => clock.setTimer(() => resolve(undefined), 5));
    expect(order).toEqual(['sync', 'zero']);
  });

  it('measures monotonic milliseconds', async () => {
    const clock = realClock();
    const start = clock.now();
    await new Promise((resolve) => clock.setTimer(() => resolve(undefined), 2));
    expect(clock.now()).toBeGreaterThan(start);
  });
});
