// Seeded random numbers for the simulator, so a run can be replayed exactly from its seed.
// Math.random cannot be seeded, hence this small generator.
import type { Rng } from '../types.ts';

/**
 * A 32-bit counter-based generator: the state walks by a fixed odd step (the golden-ratio
 * constant) and each state is scrambled by a xorshift-multiply finaliser. Every seed gives a
 * full-period sequence of 2^32 values, plenty for step jitter.
 */
export function createRng(seed: number): Rng {
  let state = Math.trunc(seed) >>> 0;
  return {
    next(): number {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      z ^= z >>> 16;
      return (z >>> 0) / 0x1_0000_0000;
    },
  };
}

/** A seed from any text (FNV-1a), so runs can be seeded by a name as well as by a number. */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** A standard normal draw (Box-Muller); uses two uniforms so it keeps no hidden state. */
export function gaussian(rng: Rng): number {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
