// The Wilson score interval of a proportion (an error rate, a share meeting an objective). Unlike
// p ± z·√(p(1-p)/n) it stays inside [0, 1] and does not collapse to a point at 0/n or n/n: no
// errors in 10 requests still leaves an error rate of up to about 28 % plausible.
import { type Bound, CONFIDENCE, checkLevel } from './bound.ts';
import { normalQuantile } from './normal-quantile.ts';

/** Wilson score interval of a proportion. */
export function proportionInterval(successes: number, n: number, level: number = CONFIDENCE): Bound {
  checkLevel(level);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`need whole numbers 0 <= successes <= n, got ${successes} of ${n}`);
  }
  if (n === 0) return { lo: null, hi: null };
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2n = (z * z) / n;
  const p = successes / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At 0/n and n/n the formula gives the end exactly, up to rounding; say it exactly.
  return {
    lo: successes === 0 ? 0 : Math.max(0, centre - half),
    hi: successes === n ? 1 : Math.min(1, centre + half),
  };
}
