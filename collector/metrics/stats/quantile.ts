// The point estimate of a quantile, the same definition the phase summaries use (R-7, numpy's
// default), so an interval always sits around the number printed beside it.
import { quantileSorted } from 'd3-array';

/** R-7 quantile of ascending-sorted values (d3-array quantileSorted, the summaries' definition); null when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  // d3 only reads indexes and length, which every ArrayLike has.
  return quantileSorted(sorted as unknown as number[], q) ?? null;
}
