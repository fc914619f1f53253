import { describe, it, expect } from 'vitest';
import { createRng, gaussian, seedFromText } from '../../../../collector/sim/model/rng.ts';

const draw = (seed: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('seeded random numbers', () => {
  it('repeats the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(42, 100)).not.toEqual(draw(43, 100));
    expect(draw(0, 5)).not.toEqual(draw(1, 5));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = draw(7, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    // Ten equal bins each hold about a tenth.
    const bins = new Array<number>(10).fill(0);
    for (const v of values) bins[Math.floor(v * 10)]! += 1;
    for (const count of bins) expect(count / values.length).toBeGreaterThan(0.09);
  });

  it('draws standard normal values for jitter', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 20_000 }, () => gaussian(rng));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.97);
    expect(sd).toBeLessThan(1.03);
  });

  it('turns a name into a stable 32-bit seed', () => {
    expect(seedFromText('vllm-run')).toBe(seedFromText('vllm-run'));
    expect(seedFromText('vllm-run')).not.toBe(seedFromText('tgi-run'));
    expect(Number.isInteger(seedFromText(''))).toBe(true);
    expect(seedFromText('x')).toBeGreaterThanOrEqual(0);
    expect(seedFromText('x')).toBeLessThan(2 ** 32);
  });
});
