// Server-side latency quantiles from Prometheus histogram buckets. A histogram is cumulative since
// the engine started, so a phase's distribution is the DELTA of the bucket counts between the
// phase's first and last scrape; quantiles are then estimated from that delta.
import { round3 } from '../metrics/precision.ts';
import type { ServerPhaseMetrics } from '../store/schema/index.ts';
import type { Sample } from './parse.ts';

type ServerQuantiles = ServerPhaseMetrics['quantiles'][number];

/** One bucket: how many observations were ≤ le (cumulative, as exported). */
export interface Bucket {
  le: number;
  count: number;
}

/** The `le` buckets of `_bucket` samples (one label set), sorted by bound; samples without `le` are skipped. */
export function bucketsFromSamples(samples: readonly Sample[]): Bucket[] {
  const buckets: Bucket[] = [];
  for (const sample of samples) {
    const text = sample.labels['le'];
    if (text === undefined) continue;
    const le = text === '+Inf' || text === 'Inf' ? Number.POSITIVE_INFINITY : Number(text);
    if (Number.isNaN(le) || Number.isNaN(sample.value)) continue;
    buckets.push({ le, count: sample.value });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/** The observations of a histogram as a whole: its +Inf bucket, else its largest count. */
export function totalCount(buckets: readonly Bucket[]): number {
  let total = 0;
  for (const bucket of buckets) total = Math.max(total, bucket.count);
  return total;
}

/**
 * What was observed between two scrapes: last minus first, bound by bound. A bound missing from
 * `first` counts as 0 there (the histogram, or the bound, appeared in between). Never negative.
 */
export function subtractBuckets(last: readonly Bucket[], first: readonly Bucket[]): Bucket[] {
  const before = new Map(first.map((bucket) => [bucket.le, bucket.count]));
  return last.map((bucket) => ({ le: bucket.le, count: Math.max(0, bucket.count - (before.get(bucket.le) ?? 0)) }));
}

/** Bound-by-bound sum: several label sets (vLLM data-parallel engines) or several reset spans into one. */
export function addBuckets(a: readonly Bucket[], b: readonly Bucket[]): Bucket[] {
  const sums = new Map<number, number>();
  for (const bucket of [...a, ...b]) sums.set(bucket.le, (sums.get(bucket.le) ?? 0) + bucket.count);
  return [...sums].map(([le, count]) => ({ le, count })).sort((x, y) => x.le - y.le);
}

/**
 * The q-quantile (0..1) of bucketed observations, in the buckets' unit; null with no observation.
 * Same estimate as Prometheus' histogram_quantile(): find the bucket holding the rank q·total and
 * interpolate linearly inside it, assuming observations spread evenly between its bounds (the
 * first bucket starts at 0). A rank in the +Inf bucket gives the highest finite bound, since
 * nothing is known above it. Counts are made monotonic first (a scrape can tear between buckets).
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not within 0..1`);
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (last === undefined) return null;
  // Exporters always print +Inf; without it, the largest bound is taken to hold everything.
  if (last.le !== Number.POSITIVE_INFINITY) sorted.push({ le: Number.POSITIVE_INFINITY, count: last.count });
  let running = 0;
  const cumulative = sorted.map((bucket) => {
    running = Math.max(running, bucket.count);
    return { le: bucket.le, count: running };
  });
  const total = running;
  if (total <= 0) return null;

  const rank = q * total;
  const index = cumulative.findIndex((bucket) => bucket.count >= rank);
  const bucket = cumulative[index]!;
  if (bucket.le === Number.POSITIVE_INFINITY) {
    const highestFinite = cumulative[cumulative.length - 2];
    return highestFinite === undefined ? null : highestFinite.le;
  }
  const previous = cumulative[index - 1];
  if (previous === undefined && bucket.le <= 0) return bucket.le;
  const lower = previous?.le ?? 0;
  const below = previous?.count ?? 0;
  const inside = bucket.count - below;
  if (inside <= 0) return bucket.le;
  return lower + (bucket.le - lower) * ((rank - below) / inside);
}


/** p50/p90/p99 of a phase's bucket delta, scaled to ms by `toMs` (1000 for seconds). */
export function phaseQuantiles(name: string, metric: string, delta: readonly Bucket[], toMs: number): ServerQuantiles {
  const quantile = (q: number): number | null => {
    const value = histogramQuantile(q, delta);
    return value === null ? null : round3(value * toMs);
  };
  return { name, metric, count: Math.round(totalCount(delta)), p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99) };
}
