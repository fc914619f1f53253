// Series of comparable runs: the same engine identity (kind, API, version, model, revision,
// simulated or not: engines[].identity) under the same scenario (scenarioHash). Each series lists
// its runs oldest first with the headline numbers of the engine's last phase.
import type { Run } from '../../collector/store/schema/index.ts';
import { headline, scenarioName, shortHash, type Headline } from './runs.ts';

export interface TrendPoint {
  runId: string;
  runName: string;
  startedAt: string;
  status: Run['status'];
  engineLabel: string;
  headline: Headline | null;
}

export interface TrendSeries {
  key: string;
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

export function trendSeries(runs: readonly Run[]): TrendSeries[] {
  const series = new Map<string, TrendSeries>();
  for (const run of runs) {
    for (const engine of run.engines) {
      const key = `${engine.identity}\u0000${run.scenarioHash}`;
      const entry =
        series.get(key) ??
        ({
          key,
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

export function seriesTitle(s: TrendSeries): string {
  return `${s.kind}${s.version ? ` ${s.version}` : ''} · ${s.model} · scenario ${s.scenarioName ?? 'unnamed'} (${shortHash(s.scenarioHash)})`;
}

/** Change of the newest point against the previous one, as a signed fraction; null without two values. */
export function change(points: readonly TrendPoint[], value: (h: Headline) => number | null): number | null {
  const values = points.map((p) => (p.headline ? value(p.headline) : null)).filter((v): v is number => v !== null);
  if (values.length < 2) return null;
  const last = values[values.length - 1]!;
  const previous = values[values.length - 2]!;
  return previous === 0 ? null : (last - previous) / previous;
}
