// Draws of the k-th smallest of n independent uniforms without drawing the n uniforms: it follows
// Beta(k, n − k + 1), which is G_k / (G_k + G_(n−k+1)) for independent Gamma draws. This makes a
// bootstrap resample's quantile O(1) instead of a sort of n values (see quantile-ratio-interval.ts).
import { gaussian } from '../../sim/model/rng.ts';
import type { Rng } from '../../sim/types.ts';

/**
 * A Gamma(shape, 1) draw for shape >= 1, by Marsaglia and Tsang's squeeze method ("A simple
 * method for generating gamma variables", ACM TOMS 26(3), 2000): accepts over 95 % of tries.
 */
export function gammaDraw(shape: number, rng: Rng): number {
  if (!(shape >= 1)) throw new RangeError(`gamma shape must be >= 1 here, got ${shape}`);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = gaussian(rng);
    const cube = 1 + c * x;
    if (cube <= 0) continue;
    const v = cube ** 3;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** The k-th and (k+1)-th smallest of n uniforms on [0, 1) (the second is 1 when k = n). */
export function uniformOrderStatistics(k: number, n: number, rng: Rng): [number, number] {
  const below = gammaDraw(k, rng);
  const kth = below / (below + gammaDraw(n - k + 1, rng));
  if (k >= n) return [kth, 1];
  // Given the k-th, the next is the smallest of n − k uniforms on [kth, 1): its distance from kth
  // is (1 − kth) · (1 − V^(1/(n−k))) for a uniform V.
  return [kth, kth + (1 - kth) * (1 - (1 - rng.next()) ** (1 / (n - k)))];
}
