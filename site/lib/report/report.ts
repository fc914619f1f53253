// The run report's content as plain data: what was run, against what, and per phase and
// engine the summary numbers. Pages only lay these out.
import type { Distribution, EngineRun, PhaseSummary, Run } from '../../../collector/store/schema/index.ts';
import { MISSING, plainValue } from '../format.ts';
import { boundsLabel, loadLabel } from './load-label.ts';
import { successRate } from '../runs.ts';

/** `closed-loop · concurrency 4 · requests 12`: the shape first, then every other parameter. */
export function describeLoad(load: Record<string, unknown> | undefined): string {
  if (load === undefined) return '';
  const shape = typeof load['shape'] === 'string' ? load['shape'] : 'unknown shape';
  const rest = Object.entries(load)
    .filter(([key]) => key !== 'shape')
    .map(([key, value]) => `${key} ${plainValue(value)}`);
  return [shape, ...rest].join(' · ');
}

export interface PhasePlanRow {
  name: string;
  load: string;
  bounds: string;
  extra: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The phases as planned: from the scenario's `phases` when it lists them, else from what the
 * engines measured (older or hand-written scenarios keep the load at the top level).
 */
export function plannedPhases(run: Pick<Run, 'scenario' | 'engines'>): PhasePlanRow[] {
  const phases = run.scenario['phases'];
  if (Array.isArray(phases) && phases.every(isRecord)) {
    return phases.map((phase, i) => {
      const { name, load, bounds, warmup, ...extra } = phase;
      return {
        name: typeof name === 'string' ? name : `phase ${i + 1}`,
        load: isRecord(load) ? loadLabel(load) : humanValue(load),
        bounds: boundsLabel(bounds, warmup),
        extra: humanSettings(extra),
      };
    });
  }
  const seen = new Map<string, PhasePlanRow>();
  for (const engine of run.engines) {
    for (const phase of engine.phases) {
      // Older runs kept a phase's bounds in its load.
      const { requests, durationS } = phase.load as Record<string, unknown>;
      const bounds = requests === undefined && durationS === undefined ? '' : boundsLabel({ requests, durationS });
      if (!seen.has(phase.name)) seen.set(phase.name, { name: phase.name, load: loadLabel(phase.load), bounds, extra: '' });
    }
  }
  const load = run.scenario['load'];
  if (seen.size === 0 && isRecord(load)) {
    const { requests, durationS, ...shape } = load;
    return [{ name: 'main', load: loadLabel(shape), bounds: boundsLabel({ requests, durationS }), extra: '' }];
  }
  return [...seen.values()];
}

export interface Fact {
  label: string;
  value: string;
}

/** Scenario keys and their labels, in reading order; `slo` and `roi` are shown from what the run made of them. */
const WORKLOAD_KEYS: [string, string][] = [
  ['model', 'Model requested'],
  ['maxTokens', 'Max output tokens'],
  ['forceOutputLength', 'Fixed output length (end-of-sequence ignored)'],
  ['temperature', 'Temperature'],
  ['stream', 'Streamed'],
  ['conversations', 'Conversations'],
  ['synthetic', 'Synthetic prompts'],
  ['sharedPrefix', 'Shared prefix'],
  ['sharedPrefixTokens', 'Shared prefix (tokens)'],
  ['compareStreaming', 'Streaming comparison'],
  ['coldConnections', 'Cold connections (a new one per request)'],
  ['warmup', 'Warm-up'],
  ['timeouts', 'Timeouts'],
];

/** Words for the settings' own keys, where camelCase would not read: `ttftS` is "first token" in seconds. */
const KEY_WORDS: Record<string, string> = {
  connectS: 'connect',
  ttftS: 'first token',
  idleS: 'idle',
  totalS: 'total',
  requests: 'requests',
  seconds: 'seconds',
  durationS: 'duration',
  count: 'count',
  length: 'length',
  mean: 'mean',
  stdev: 'stdev',
  min: 'min',
  max: 'max',
};

/** A setting's key in words and the unit its name carries: `connectS` → ['connect', ' s']. */
function humanKey(key: string): [string, string] {
  const unit = /[a-z]S$/.test(key) ? ' s' : /Ms$/.test(key) ? ' ms' : '';
  const bare = unit === ' s' ? key.slice(0, -1) : unit === ' ms' ? key.slice(0, -2) : key;
  const words = KEY_WORDS[key] ?? bare.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return [words, unit];
}

/** Any setting as a reader reads it: yes/no for switches, units from the key, nested settings as `key value`. */
export function humanValue(value: unknown): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(humanValue).join(', ');
  if (isRecord(value)) return humanSettings(value);
  return String(value);
}

/** `connect 10 s · first token 60 s`: settings with their keys in words. */
export function humanSettings(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => {
      const [words, unit] = humanKey(key);
      if (typeof v === 'boolean') return `${words} ${v ? 'yes' : 'no'}`;
      return typeof v === 'number' ? `${words} ${v}${unit}` : `${words} ${humanValue(v)}`;
    })
    .join(' · ');
}

/** The prompt source in one line: `builtin, 61 prompts`, or the scenario's own text. */
export function describePrompts(prompts: unknown): string {
  if (prompts === undefined) return '';
  if (typeof prompts === 'string') return prompts;
  if (isRecord(prompts)) {
    const parts: string[] = [];
    if (typeof prompts['source'] === 'string') parts.push(prompts['source']);
    if (typeof prompts['file'] === 'string') parts.push(prompts['file']);
    const count = typeof prompts['count'] === 'number' ? prompts['count'] : Array.isArray(prompts['items']) ? prompts['items'].length : null;
    if (count !== null) parts.push(`${count} prompt${count === 1 ? '' : 's'}`);
    if (Array.isArray(prompts['categories'])) parts.push(`categories ${prompts['categories'].join(', ')}`);
    return parts.length > 0 ? parts.join(', ') : humanValue(prompts);
  }
  return humanValue(prompts);
}

/** Scenario settings that describe the workload, in a fixed order, in words; the full scenario is shown separately. */
export function workloadFacts(run: Pick<Run, 'scenario'>): Fact[] {
  const facts: Fact[] = [{ label: 'Seed', value: String(run.scenario.seed) }];
  const prompts = describePrompts(run.scenario['prompts']);
  if (prompts !== '') facts.push({ label: 'Prompts', value: prompts });
  for (const [key, label] of WORKLOAD_KEYS) {
    if (!(key in run.scenario) || run.scenario[key] === undefined) continue;
    const value = run.scenario[key];
    facts.push({ label, value: key === 'model' && value === null ? "each engine's own" : humanValue(value) });
  }
  return facts;
}

/** The scenario without its prompt texts (those can be long; the responses page shows them). */
export function scenarioForDisplay(run: Run): string {
  const prompts = run.scenario['prompts'];
  const shown =
    isRecord(prompts) && Array.isArray(prompts['items'])
      ? { ...run.scenario, prompts: { ...prompts, items: `(${prompts['items'].length} prompts, shown on the responses page)` } }
      : run.scenario;
  return JSON.stringify(shown, null, 2);
}

export interface PhaseEngineSummary {
  engine: EngineRun;
  phase: PhaseSummary;
}

export interface PhaseGroup {
  name: string;
  load: string;
  rows: PhaseEngineSummary[];
}

/** Phases in order of first appearance, each with the engines that ran it (in run order). */
export function phaseGroups(run: Pick<Run, 'engines'>): PhaseGroup[] {
  const groups = new Map<string, PhaseGroup>();
  for (const engine of run.engines) {
    for (const phase of engine.phases) {
      const group = groups.get(phase.name) ?? { name: phase.name, load: loadLabel(phase.load), rows: [] };
      group.rows.push({ engine, phase });
      groups.set(phase.name, group);
    }
  }
  return [...groups.values()];
}

export const LATENCY_METRICS = [
  { key: 'ttftMs', label: 'TTFT', definition: 'ttft' },
  { key: 'tpotMs', label: 'TPOT', definition: 'tpot' },
  { key: 'itlMs', label: 'ITL', definition: 'itl' },
  { key: 'e2eMs', label: 'E2E', definition: 'e2e' },
] as const satisfies readonly { key: keyof PhaseSummary; label: string; definition: keyof Run['definitions'] }[];

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const satisfies readonly (keyof Distribution)[];

export interface LatencyRow {
  label: string;
  /** What the row's samples are, when it is not the metric over every successful request. */
  title?: string;
  distribution: Distribution;
}

/**
 * The latency table of one engine in one phase: the four metrics, and TTFT again without the
 * requests that opened a connection when some did and some did not (their TTFT includes a handshake).
 */
export function latencyRows(phase: PhaseSummary): LatencyRow[] {
  const rows: LatencyRow[] = LATENCY_METRICS.map((metric) => ({ label: metric.label, distribution: phase[metric.key] }));
  if (phase.ttftReusedMs) {
    rows.splice(1, 0, {
      label: 'TTFT, reused connection',
      title: `TTFT of the requests that did not open a connection (${phase.newConnections ?? 0} did: their TTFT includes the TCP/TLS handshake)`,
      distribution: phase.ttftReusedMs,
    });
  }
  return rows;
}

/** The engine's own waiting-queue gauge, its maximum over the phase; null when it was not scraped. */
export function engineQueueMax(phase: PhaseSummary): number | null {
  const series = phase.server?.series.find((s) => s.name === 'waiting');
  if (!series || series.points.length === 0) return null;
  return series.points.reduce((max, [, v]) => Math.max(max, v), Number.NEGATIVE_INFINITY);
}

export interface ThroughputRow {
  requests: string;
  successRate: number | null;
  requestsPerS: number;
  outputTokensPerS: number;
  errors: { kind: string; count: number }[];
  dropped: number;
  sendLagP99Ms: number | null;
  /** Measured requests that opened a connection; null when the run does not say (before format v3). */
  newConnections: number | null;
  queueMax: number | null;
  durationS: number;
}

export function throughputRow(phase: PhaseSummary): ThroughputRow {
  const r = phase.requests;
  return {
    requests: `${r.ok} ok / ${r.total}${r.warmup > 0 ? ` (+${r.warmup} warm-up)` : ''}`,
    successRate: successRate(phase),
    requestsPerS: phase.requestsPerS,
    outputTokensPerS: phase.outputTokensPerS,
    errors: Object.entries(phase.errorsByKind)
      .filter(([, n]) => n > 0)
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    dropped: r.dropped,
    sendLagP99Ms: phase.sendLagMs?.p99 ?? null,
    newConnections: phase.newConnections ?? null,
    queueMax: engineQueueMax(phase),
    durationS: phase.window.durationS,
  };
}

/** The definitions in a fixed reading order, each with its title. */
export function definitionList(run: Run): Fact[] {
  const d = run.definitions;
  return [
    { label: 'Clock', value: d.clock },
    { label: 'TTFT', value: d.ttft },
    { label: 'E2E', value: d.e2e },
    { label: 'Output tokens (N)', value: d.outputTokens },
    { label: 'TPOT', value: d.tpot },
    { label: 'ITL', value: d.itl },
    { label: 'Throughput', value: d.throughput },
    { label: 'Success', value: d.success },
    { label: 'Percentiles', value: d.percentiles },
  ];
}

/** Wall-clock length of the run, when it finished. */
export function runDurationS(run: Run): number | null {
  if (run.finishedAt === null) return null;
  const s = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : null;
}

export const STATUS_TEXT: Record<Run['status'], string> = {
  completed: 'completed',
  failed: 'failed: no request succeeded',
  aborted: 'aborted: interrupted, every finished request kept',
  partial: 'partial: the collector stopped before writing summaries',
};
