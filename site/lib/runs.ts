// The runs index: one row per run with its headline numbers, and the facets (engine kind,
// model, scenario) the index can be filtered by, each facet value a static page.
import type { Run } from '../../collector/store/schema/index.ts';
import type { EngineDigest, PhaseDigest, RunDigest } from './load-runs.ts';
import { slugsFor } from './paths.ts';

export interface Headline {
  /** The phase the numbers come from: the engine's last one. */
  phase: string;
  ttftP50Ms: number | null;
  e2eP95Ms: number | null;
  outputTokensPerS: number;
  successRate: number | null;
}

export interface EngineRow {
  label: string;
  kind: string;
  version: string | null;
  model: string;
  simulated: boolean;
  headline: Headline | null;
}

export interface RunRow {
  id: string;
  name: string;
  startedAt: string;
  status: Run['status'];
  scenarioName: string | null;
  scenarioHash: string;
  simulated: boolean;
  engines: EngineRow[];
}

export function isSimulated(run: Pick<RunDigest, 'engines'>): boolean {
  return run.engines.some((e) => e.simulated);
}

/** The simulated engines of a run, and how many it measured: what its pages' SIMULATED banner names. */
export function simulatedEngines(run: Pick<RunDigest, 'engines'>): { labels: string[]; of: number } {
  return { labels: run.engines.filter((e) => e.simulated).map((e) => e.label), of: run.engines.length };
}

export function successRate(phase: PhaseDigest): number | null {
  return phase.requests.total > 0 ? phase.requests.ok / phase.requests.total : null;
}

export function headline(engine: EngineDigest): Headline | null {
  const last = engine.phases.at(-1);
  if (last === undefined) return null;
  return {
    phase: last.name,
    ttftP50Ms: last.ttftMs.p50,
    e2eP95Ms: last.e2eMs.p95,
    outputTokensPerS: last.outputTokensPerS,
    successRate: successRate(last),
  };
}

export function scenarioName(run: Pick<RunDigest, 'scenario' | 'name'>): string | null {
  const name = run.scenario['name'];
  return typeof name === 'string' && name !== '' ? name : null;
}

/** The first 12 characters of a hash, after any `sha256:` prefix: enough to tell scenarios apart. */
export function shortHash(hash: string): string {
  return hash.replace(/^[a-z0-9]+:/i, '').slice(0, 12);
}

export function runRow(run: RunDigest): RunRow {
  return {
    id: run.id,
    name: run.name,
    startedAt: run.startedAt,
    status: run.status,
    scenarioName: scenarioName(run),
    scenarioHash: run.scenarioHash,
    simulated: isSimulated(run),
    engines: run.engines.map((e) => ({
      label: e.label,
      kind: e.kind,
      version: e.info.version,
      model: e.model,
      simulated: e.simulated,
      headline: headline(e),
    })),
  };
}

export type FacetName = 'engines' | 'models' | 'scenarios';

export interface FacetValue {
  facet: FacetName;
  /** The value as shown: an engine kind, a model name, a scenario name and hash. */
  label: string;
  slug: string;
  runIds: string[];
  simulated: boolean;
}

export interface Facets {
  engines: FacetValue[];
  models: FacetValue[];
  scenarios: FacetValue[];
}

export const FACET_TITLES: Record<FacetName, string> = {
  engines: 'Engine',
  models: 'Model',
  scenarios: 'Scenario',
};

interface FacetKey {
  /** What makes two values the same. */
  key: string;
  label: string;
  /** The text the page's URL is made from (default: the key). */
  slugText?: string;
}

function facet(name: FacetName, runs: readonly RunDigest[], valuesOf: (run: RunDigest) => FacetKey[]): FacetValue[] {
  const byKey = new Map<string, { label: string; slugText: string; runIds: string[]; simulated: boolean }>();
  for (const run of runs) {
    const seen = new Set<string>();
    for (const { key, label, slugText } of valuesOf(run)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = byKey.get(key) ?? { label, slugText: slugText ?? key, runIds: [], simulated: false };
      entry.runIds.push(run.id);
      entry.simulated ||= isSimulated(run);
      byKey.set(key, entry);
    }
  }
  const slugs = slugsFor([...byKey.values()].map((v) => v.slugText));
  return [...byKey.values()]
    .map((v) => ({ facet: name, label: v.label, slug: slugs.get(v.slugText)!, runIds: v.runIds, simulated: v.simulated }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
}

export function facets(runs: readonly RunDigest[]): Facets {
  return {
    engines: facet('engines', runs, (run) => run.engines.map((e) => ({ key: e.kind, label: e.kind }))),
    models: facet('models', runs, (run) => run.engines.map((e) => ({ key: e.model, label: e.model }))),
    scenarios: facet('scenarios', runs, (run) => [
      {
        key: run.scenarioHash,
        label: `${scenarioName(run) ?? 'unnamed'} (${shortHash(run.scenarioHash)})`,
        slugText: `${(scenarioName(run) ?? 'unnamed').slice(0, 40)} ${shortHash(run.scenarioHash)}`,
      },
    ]),
  };
}

export function allFacetValues(f: Facets): FacetValue[] {
  return [...f.engines, ...f.models, ...f.scenarios];
}

/** The runs (newest first, as given) that a facet value's page lists. */
export function facetRuns<T extends { run: Pick<Run, 'id'> }>(runs: readonly T[], value: FacetValue): T[] {
  const ids = new Set(value.runIds);
  return runs.filter((r) => ids.has(r.run.id));
}

export function facetHeading(value: FacetValue): string {
  return `${FACET_TITLES[value.facet]}: ${value.label}`;
}

export function facetLede(value: FacetValue, count: number): string {
  return `${count} run${count === 1 ? '' : 's'} with this ${FACET_TITLES[value.facet].toLowerCase()}, newest first.`;
}

export function indexLede(count: number): string {
  return (
    `${count} run${count === 1 ? '' : 's'}, newest first. Headline numbers come from each engine's last phase: median time to ` +
    'first token, 95th percentile end-to-end latency, output tokens per second and the share of requests that succeeded.'
  );
}
