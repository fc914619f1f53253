// Series of comparable runs: the same engine identity (kind, API, version, model, revision,
// simulated or not: engines[].identity) under the same scenario (scenarioHash). Each series lists
// its runs oldest first with the headline numbers of the engine's last phase (and the numbers of
// every phase, for the change per load level: trend-change.ts), and gets a chart (charts/trend.ts)
// once it has two runs.
import { createHash } from 'node:crypto';
import type { Run } from '../../collector/store/schema/index.ts';
import type { RunDigest } from './load-runs.ts';
import { withoutRootStyle } from './report/site-charts.ts';
import { descriptionOf, renderSvg, specWithData, titleOf } from './charts/render.ts';
import { trendSpec } from './charts/trend.ts';
import { slugify } from './paths.ts';
import { headline, scenarioName, shortHash, successRate, type Headline } from './runs.ts';
import type { PhaseNumbers } from './trend-change.ts';

export interface TrendPoint {
  runId: string;
  runName: string;
  startedAt: string;
  status: Run['status'];
  engineLabel: string;
  headline: Headline | null;
  /** Every phase's numbers, in run order: the change is per load level (phase name). */
  phases: PhaseNumbers[];
}

export interface TrendSeries {
  key: string;
  /** File-safe and stable across builds: the kind and model as a slug, and a hash of the key. */
  id: string;
  identity: string;
  kind: string;
  version: string | null;
  model: string;
  modelRevision: string | null;
  simulated: boolean;
  scenarioHash: string;
  scenarioName: string | null;
  points: TrendPoint[];
}

export function trendSeries(runs: readonly RunDigest[]): TrendSeries[] {
  const series = new Map<string, TrendSeries>();
  for (const run of runs) {
    for (const engine of run.engines) {
      const key = `${engine.identity}\u0000${run.scenarioHash}`;
      const entry =
        series.get(key) ??
        ({
          key,
          id: seriesId(engine.kind, engine.model, key),
          identity: engine.identity,
          kind: engine.kind,
          version: engine.info.version,
          model: engine.model,
          modelRevision: engine.info.modelRevision,
          simulated: engine.simulated,
          scenarioHash: run.scenarioHash,
          scenarioName: scenarioName(run),
          points: [],
        } satisfies TrendSeries);
      entry.points.push({
        runId: run.id,
        runName: run.name,
        startedAt: run.startedAt,
        status: run.status,
        engineLabel: engine.label,
        headline: headline(engine),
        phases: engine.phases.map((p) => ({ phase: p.name, ttftP50Ms: p.ttftMs.p50, e2eP95Ms: p.e2eMs.p95, outputTokensPerS: p.outputTokensPerS, successRate: successRate(p) })),
      });
      series.set(key, entry);
    }
  }
  for (const entry of series.values()) entry.points.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.runId.localeCompare(b.runId));
  // Longest series first: those are the ones with a trend to read.
  return [...series.values()].sort(
    (a, b) => b.points.length - a.points.length || a.kind.localeCompare(b.kind) || a.model.localeCompare(b.model) || a.key.localeCompare(b.key),
  );
}

/** `vllm-meta-llama-llama-3-1-8b-instruct-1a2b3c4d5e`: the hash keeps ids apart when slugs collide or are cut short. */
export function seriesId(kind: string, model: string, key: string): string {
  const slug = slugify(`${kind}-${model}`).slice(0, 40).replace(/-+$/, '');
  return `${slug}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** Where the series' chart spec downloads from. */
export const trendSpecPath = (id: string): string => `trends/${encodeURIComponent(id)}.vl.json`;

export interface TrendChart {
  title: string;
  description: string;
  /** Inline SVG without a root style attribute (the CSP allows none). */
  svg: string;
}

/** The series' chart rendered to SVG, or null when it has no chart (fewer than two runs, no numbers). */
export async function trendChart(series: TrendSeries): Promise<TrendChart | null> {
  const spec = trendSpec(series);
  if (spec === null) return null;
  return { title: titleOf(spec), description: descriptionOf(spec), svg: withoutRootStyle(await renderSvg(spec, { id: `trend-${series.id}` })) };
}

/** The series' Vega-Lite spec with its data inline, as the JSON file it downloads as; null without a chart. */
export function trendSpecJson(series: TrendSeries): string | null {
  const spec = trendSpec(series);
  return spec === null ? null : `${JSON.stringify(specWithData(spec), null, 2)}\n`;
}

export function seriesTitle(s: TrendSeries): string {
  return `${s.kind}${s.version ? ` ${s.version}` : ''} · ${s.model} · scenario ${s.scenarioName ?? 'unnamed'} (${shortHash(s.scenarioHash)})`;
}
