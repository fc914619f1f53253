// What one phase's /metrics scrapes add up to: gauge series, counter increases and histogram
// deltas, each measured from the phase's first successful scrape (the baseline) to its last.
import type { ServerPhaseMetrics } from '../store/schema/index.ts';
import { metricMapFor, type EngineMetricMap } from './engine-metrics.ts';
import {
  addBuckets,
  bucketsFromSamples,
  phaseQuantiles,
  subtractBuckets,
  totalCount,
  type Bucket,
} from './histogram-quantiles.ts';
import { groupByName, labelKey, type Exposition, type Sample } from './parse.ts';
import { createCappedSeries, type CappedSeries } from './series.ts';

type PhaseResult = Pick<ServerPhaseMetrics, 'series' | 'deltas' | 'quantiles'>;

export interface PrometheusPhase {
  /** Adds one successful scrape taken at atMs (offset from the run origin). */
  ingest(exposition: Exposition, atMs: number): void;
  result(): PhaseResult;
  /** Values left out because no gauge or counter can hold them (±Inf, NaN, an overflowing sum). */
  invalid(): Map<string, number>;
}

/**
 * One series of a counter (one label set). A value below the previous one means the engine
 * restarted: what was counted so far is carried and counting resumes from 0, as Prometheus'
 * increase() does.
 */
interface CounterTrack {
  labels: Record<string, string>;
  base: number;
  last: number;
  carried: number;
}

/** One histogram series (one label set besides `le`), reset-aware like CounterTrack. */
interface HistogramTrack {
  base: Bucket[];
  last: Bucket[];
  carried: Bucket[];
}

interface GaugeTrack {
  metric: string;
  series: CappedSeries;
}

const notLe = (name: string): boolean => name !== 'le';
/** Labels that name the server, not what was counted. */
const IDENTITY_LABELS: ReadonlySet<string> = new Set(['model_name', 'engine']);
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

export function createPrometheusPhase(kind: string, maxPoints?: number): PrometheusPhase {
  let map: EngineMetricMap | null = null;
  // Series that first show up after the baseline start from 0: TGI and prom-client only export a
  // series once it was first updated, so its whole value happened during the phase.
  let baselineTaken = false;
  const gauges = new Map<string, GaugeTrack>();
  const counters = new Map<string, Map<string, CounterTrack>>();
  const histograms = new Map<string, Map<string, HistogramTrack>>();
  // An engine's numbers are untrusted: a value a run file cannot hold is counted here, not kept.
  const invalid = new Map<string, number>();
  const reject = (metric: string): void => void invalid.set(metric, (invalid.get(metric) ?? 0) + 1);

  function trackCounter(name: string, samples: readonly Sample[]): void {
    let bySet = counters.get(name);
    if (!bySet) counters.set(name, (bySet = new Map()));
    for (const sample of samples) {
      if (!Number.isFinite(sample.value)) {
        reject(name);
        continue;
      }
      const key = labelKey(sample.labels);
      const track = bySet.get(key);
      if (!track) {
        const base = baselineTaken ? 0 : sample.value;
        bySet.set(key, { labels: sample.labels, base, last: sample.value, carried: 0 });
      } else if (sample.value < track.last) {
        track.carried += track.last - track.base;
        track.base = 0;
        track.last = sample.value;
      } else {
        track.last = sample.value;
      }
    }
  }

  function trackHistogram(family: string, bucketSamples: readonly Sample[]): void {
    let bySet = histograms.get(family);
    if (!bySet) histograms.set(family, (bySet = new Map()));
    const groups = new Map<string, Sample[]>();
    for (const sample of bucketSamples) {
      if (!Number.isFinite(sample.value)) {
        reject(`${family}_bucket`);
        continue;
      }
      const key = labelKey(sample.labels, notLe);
      const group = groups.get(key);
      if (group) group.push(sample);
      else groups.set(key, [sample]);
    }
    for (const [key, group] of groups) {
      const buckets = bucketsFromSamples(group);
      const track = bySet.get(key);
      if (!track) {
        bySet.set(key, { base: baselineTaken ? [] : buckets, last: buckets, carried: [] });
      } else if (totalCount(buckets) < totalCount(track.last)) {
        track.carried = addBuckets(track.carried, subtractBuckets(track.last, track.base));
        track.base = [];
        track.last = buckets;
      } else {
        track.last = buckets;
      }
    }
  }

  function ingest(exposition: Exposition, atMs: number): void {
    const byName = groupByName(exposition.samples);
    map ??= metricMapFor(kind, byName.keys());
    if (map === null) return;

    for (const spec of map.gauges) {
      const metric = spec.candidates.find((name) => byName.has(name));
      if (metric === undefined) continue;
      const all = byName.get(metric)!.map((sample) => sample.value);
      const values = all.filter((value) => Number.isFinite(value));
      if (values.length < all.length) reject(metric);
      if (values.length === 0) continue;
      const value = spec.combine === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
      if (!Number.isFinite(value)) {
        reject(metric);
        continue;
      }
      let track = gauges.get(spec.name);
      if (!track) gauges.set(spec.name, (track = { metric, series: createCappedSeries(maxPoints) }));
      track.series.add(atMs, value);
    }
    // Every candidate present is tracked; result() reports the first one that was seen at all.
    for (const spec of map.counters) {
      for (const name of spec.candidates) {
        const samples = byName.get(name);
        if (samples) trackCounter(name, samples);
      }
    }
    for (const spec of map.histograms) {
      for (const family of spec.candidates) {
        const samples = byName.get(`${family}_bucket`);
        if (samples) trackHistogram(family, samples);
      }
    }
    baselineTaken = true;
  }

  function result(): PhaseResult {
    if (map === null) return { series: [], deltas: {}, quantiles: [] };
    const series: PhaseResult['series'] = [];
    for (const spec of map.gauges) {
      const track = gauges.get(spec.name);
      if (track) series.push({ name: spec.name, metric: track.metric, points: track.series.points() });
    }

    const deltas: Record<string, number> = {};
    for (const spec of map.counters) {
      // A counter whose every sample was invalid has no track, and no increase to report.
      const name = spec.candidates.find((candidate) => (counters.get(candidate)?.size ?? 0) > 0);
      if (name === undefined) continue;
      const tracks = [...counters.get(name)!.values()];
      const increase = (track: CounterTrack): number => track.carried + track.last - track.base;
      const total = round6(tracks.reduce((sum, track) => sum + increase(track), 0));
      if (!Number.isFinite(total)) {
        reject(name);
        continue;
      }
      deltas[name] = total;
      // Each label set also gets its own key, named by its labels less the identity ones
      // (vLLM's model_name and engine) unless those tell series apart (data-parallel ranks).
      const varying = varyingLabels(tracks.map((track) => track.labels));
      const keep = (label: string): boolean => varying.has(label) || !IDENTITY_LABELS.has(label);
      for (const track of tracks) {
        const key = labelKey(track.labels, keep);
        const value = round6((deltas[`${name}${key}`] ?? 0) + increase(track));
        if (key !== '' && Number.isFinite(value)) deltas[`${name}${key}`] = value;
      }
    }

    const quantiles: PhaseResult['quantiles'] = [];
    for (const spec of map.histograms) {
      const family = spec.candidates.find((candidate) => histograms.has(candidate));
      if (family === undefined) continue;
      let delta: Bucket[] = [];
      for (const track of histograms.get(family)!.values()) {
        delta = addBuckets(delta, addBuckets(track.carried, subtractBuckets(track.last, track.base)));
      }
      const q = phaseQuantiles(spec.name, family, delta, spec.toMs);
      const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
      if (Number.isSafeInteger(q.count) && q.count >= 0) quantiles.push({ ...q, p50: finite(q.p50), p90: finite(q.p90), p99: finite(q.p99) });
      else reject(`${family}_bucket`);
    }
    return { series, deltas, quantiles };
  }

  return { ingest, result, invalid: () => new Map(invalid) };
}

/** Label names whose value is not the same on every label set (or missing from some). */
function varyingLabels(sets: readonly Record<string, string>[]): Set<string> {
  const names = new Set(sets.flatMap((labels) => Object.keys(labels)));
  const varying = new Set<string>();
  for (const name of names) {
    const first = sets[0]?.[name];
    if (sets.some((labels) => labels[name] !== first)) varying.add(name);
  }
  return varying;
}
