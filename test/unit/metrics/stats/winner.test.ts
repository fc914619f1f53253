import { describe, expect, it } from 'vitest';
import { type Bound, clearWinner } from '../../../../collector/metrics/stats/index.ts';

const c = (label: string, value: number | null, lo: number | null, hi: number | null): { label: string; value: number | null; ci: Bound } => ({ label, value, ci: { lo, hi } });

describe('clearWinner', () => {
  it('names the lowest when its interval ends below every other interval starts', () => {
    const result = clearWinner([c('tgi', 120, 110, 130), c('vllm', 90, 85, 95), c('ollama', 300, 250, 400)], 'lower');
    expect(result.winner?.label).toBe('vllm');
    expect(result.reason).toBe('separated');
    expect(result.runnerUp?.label).toBe('tgi');
  });

  it('names no winner when the best interval overlaps the runner-up', () => {
    const result = clearWinner([c('tgi', 100, 90, 112), c('vllm', 95, 85, 105)], 'lower');
    expect(result).toMatchObject({ winner: null, reason: 'overlap' });
    expect(result.runnerUp?.label).toBe('tgi');
  });

  it('counts touching intervals as overlapping', () => {
    expect(clearWinner([c('a', 1, 0, 2), c('b', 3, 2, 4)], 'lower').winner).toBeNull();
  });

  it('counts an unbounded side as overlapping', () => {
    expect(clearWinner([c('a', 1, 0, null), c('b', 30, 20, 40)], 'lower').reason).toBe('overlap');
    expect(clearWinner([c('a', 1, 0, 2), c('b', 30, null, 40)], 'lower').reason).toBe('overlap');
  });

  it('names the highest for higher-is-better metrics', () => {
    const result = clearWinner([c('a', 50, 45, 55), c('b', 80, 70, 90)], 'higher');
    expect(result.winner?.label).toBe('b');
    expect(clearWinner([c('a', 50, 45, 72), c('b', 80, 70, 90)], 'higher').winner).toBeNull();
  });

  it('ignores candidates without a value', () => {
    const result = clearWinner([c('failed', null, null, null), c('a', 10, 8, 12), c('b', 30, 25, 35)], 'lower');
    expect(result.winner?.label).toBe('a');
    expect(result.runnerUp?.label).toBe('b');
  });

  it('says no data when no candidate has a value', () => {
    expect(clearWinner([c('x', null, null, null)], 'lower')).toEqual({ winner: null, reason: 'no data', runnerUp: null });
    expect(clearWinner([], 'lower').reason).toBe('no data');
  });

  it('lets a single measured candidate win, with no runner-up', () => {
    expect(clearWinner([c('a', 10, 8, 12)], 'lower')).toMatchObject({ reason: 'separated', runnerUp: null });
  });
});
