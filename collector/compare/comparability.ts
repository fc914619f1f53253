// Whether two runs may be compared, engine × phase, and what differs between them. A diff of two
// runs is only honest when they measured the same thing the same way: a different model, scenario,
// load point or a simulator against a real engine makes any delta meaningless (refuse); a different
// engine version is what a release diff is for, and a different host or servebench version can
// move the numbers without being wrong to compare (warn, loudly).
// Pure: plain runs in, plain rows out. Every value is as the run holds it (engines report their own
// versions and model names): whoever renders a row escapes it for its medium.
import { createHash } from 'node:crypto';
import { canonicalScenario, canonicalScenarioHash } from '../store/scenario-hash.ts';
import type { EngineRun, PhaseSummary, Run } from '../store/schema/index.ts';

export type Severity = 'refuse' | 'warn';

/** What one engine × phase of a run measured, and under which conditions. */
export interface ComparabilityKey {
  engineKind: string;
  /** The API the requests went to (chat, completions, generate): part of what is measured. */
  api: string;
  engineVersion: string | null;
  model: string;
  modelRevision: string | null;
  simulated: boolean;
  scenarioHash: string;
  /** Shape and level, e.g. "closed-loop concurrency=4" or "poisson rate=20 maxInFlight=64". */
  loadPoint: string;
  /** CPU model × count and os/arch of the collector host. */
  hostClass: string;
  servebenchVersion: string;
}

type KeyField = keyof ComparabilityKey;

/** Each key field with the label a person reads and how much a difference in it matters. */
export const KEY_FIELDS: ReadonlyArray<{ field: KeyField; label: string; severity: Severity }> = [
  { field: 'engineKind', label: 'engine', severity: 'refuse' },
  { field: 'api', label: 'API', severity: 'refuse' },
  { field: 'model', label: 'model', severity: 'refuse' },
  { field: 'modelRevision', label: 'model revision', severity: 'refuse' },
  { field: 'simulated', label: 'simulated', severity: 'refuse' },
  { field: 'scenarioHash', label: 'scenario', severity: 'refuse' },
  { field: 'loadPoint', label: 'load point', severity: 'refuse' },
  { field: 'engineVersion', label: 'engine version', severity: 'warn' },
  { field: 'hostClass', label: 'host class', severity: 'warn' },
  { field: 'servebenchVersion', label: 'servebench version', severity: 'warn' },
];

export function comparabilityKey(run: Run, engine: EngineRun, phase: PhaseSummary): ComparabilityKey {
  return {
    engineKind: engine.kind,
    api: engine.api,
    engineVersion: engine.info.version,
    model: engine.model,
    modelRevision: engine.info.modelRevision,
    simulated: engine.simulated,
    scenarioHash: canonicalScenarioHash(run.scenario),
    loadPoint: loadPoint(phase.load),
    hostClass: hostClass(run.host),
    servebenchVersion: run.tool.version,
  };
}

/**
 * The key of the fields a difference in which refuses a comparison, as one string: two engine ×
 * phases with equal texts may be compared (perhaps with warnings). For finding the previous
 * comparable run of a series across engine releases.
 */
export function refuseKeyText(key: ComparabilityKey): string {
  return JSON.stringify(KEY_FIELDS.filter((f) => f.severity === 'refuse').map((f) => key[f.field]));
}

/** The load of a phase as one text: its shape and every parameter, sorted by name. */
export function loadPoint(load: PhaseSummary['load']): string {
  const params = Object.entries(load)
    .filter(([name, value]) => name !== 'shape' && value !== undefined && value !== null)
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([name, value]) => `${name}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return [load.shape, ...params].join(' ');
}

export function hostClass(host: Run['host']): string {
  return `${host.cpuModel} ×${host.cpuCount}, ${host.os}/${host.arch}`;
}

/** One thing that differs between the base and the head run. */
export interface EnvironmentRow {
  label: string;
  /** The engine label (base's) the row is about; null for the whole run. */
  engine: string | null;
  /** The phase name the row is about; null for the whole engine or run. */
  phase: string | null;
  /** As the run holds it; null: not known, or the run has no such engine or phase. */
  base: string | null;
  head: string | null;
  severity: Severity;
}

/**
 * Every difference between two runs that bears on comparing them: run-wide (scenario, host,
 * servebench version), per engine (paired by label, else by kind when it is unique on both
 * sides) and per phase of a paired engine (paired by name). Empty: the runs are comparable as
 * they are. Rows come run-wide first, then by the base run's engine and phase order.
 */
export function environmentDiff(base: Run, head: Run): EnvironmentRow[] {
  const rows: EnvironmentRow[] = [...runRows(base, head)];
  for (const pair of pairEngines(base.engines, head.engines)) {
    if (pair.base === null || pair.head === null) {
      const present = (pair.base ?? pair.head)!;
      rows.push({
        label: 'engine',
        engine: present.label,
        phase: null,
        base: pair.base ? engineText(pair.base) : null,
        head: pair.head ? engineText(pair.head) : null,
        severity: 'refuse',
      });
      continue;
    }
    rows.push(...engineRows(pair.base, pair.head));
    rows.push(...phaseRows(pair.base, pair.head));
  }
  return rows;
}

/** The worst severity among the rows; null when nothing differs. */
export function worstSeverity(rows: readonly EnvironmentRow[]): Severity | null {
  if (rows.some((r) => r.severity === 'refuse')) return 'refuse';
  return rows.length > 0 ? 'warn' : null;
}

function runRows(base: Run, head: Run): EnvironmentRow[] {
  const rows: EnvironmentRow[] = [];
  const row = (label: string, b: string | null, h: string | null, severity: Severity): void => {
    if (b !== h) rows.push({ label, engine: null, phase: null, base: b, head: h, severity });
  };
  const baseHash = canonicalScenarioHash(base.scenario);
  const headHash = canonicalScenarioHash(head.scenario);
  if (baseHash !== headHash) {
    rows.push({ label: 'scenario', engine: null, phase: null, base: scenarioText(base, baseHash), head: scenarioText(head, headHash), severity: 'refuse' });
    // Which of its fields differ, so a reader sees why without opening both run files.
    const b = canonicalScenario(base.scenario);
    const h = canonicalScenario(head.scenario);
    for (const field of [...new Set([...Object.keys(b), ...Object.keys(h)])].sort()) {
      if (JSON.stringify(b[field]) !== JSON.stringify(h[field])) {
        rows.push({ label: `scenario ${field}`, engine: null, phase: null, base: fieldText(b[field]), head: fieldText(h[field]), severity: 'refuse' });
      }
    }
  }
  row('host class', hostClass(base.host), hostClass(head.host), 'warn');
  row('servebench version', base.tool.version, head.tool.version, 'warn');
  return rows;
}

function engineRows(base: EngineRun, head: EngineRun): EnvironmentRow[] {
  const fields: Array<[string, string | null, string | null, Severity]> = [
    ['engine', base.kind, head.kind, 'refuse'],
    ['API', base.api, head.api, 'refuse'],
    ['model', base.model, head.model, 'refuse'],
    // An engine that does not report a revision cannot show one differs: warn, not refuse.
    ['model revision', base.info.modelRevision, head.info.modelRevision, base.info.modelRevision === null || head.info.modelRevision === null ? 'warn' : 'refuse'],
    ['simulated', simulatedText(base), simulatedText(head), 'refuse'],
    ['engine version', base.info.version, head.info.version, 'warn'],
  ];
  return fields
    .filter(([, b, h]) => b !== h)
    .map(([label, b, h, severity]) => ({ label, engine: base.label, phase: null, base: b, head: h, severity }));
}

function phaseRows(base: EngineRun, head: EngineRun): EnvironmentRow[] {
  const rows: EnvironmentRow[] = [];
  const headPhases = new Map(head.phases.map((p) => [p.name, p]));
  for (const phase of base.phases) {
    const other = headPhases.get(phase.name);
    const b = loadPoint(phase.load);
    const h = other ? loadPoint(other.load) : null;
    if (b !== h) rows.push({ label: 'load point', engine: base.label, phase: phase.name, base: b, head: h, severity: 'refuse' });
  }
  const baseNames = new Set(base.phases.map((p) => p.name));
  for (const phase of head.phases) {
    if (!baseNames.has(phase.name)) rows.push({ label: 'load point', engine: base.label, phase: phase.name, base: null, head: loadPoint(phase.load), severity: 'refuse' });
  }
  return rows;
}

interface EnginePair {
  base: EngineRun | null;
  head: EngineRun | null;
}

/** By label; the engines left, by kind where each side has exactly one of it; the rest alone. */
export function pairEngines(base: readonly EngineRun[], head: readonly EngineRun[]): EnginePair[] {
  const headByLabel = new Map(head.map((e) => [e.label, e]));
  const paired = new Set<EngineRun>();
  const pairs: EnginePair[] = base.map((b) => {
    const h = headByLabel.get(b.label) ?? null;
    if (h) paired.add(h);
    return { base: b, head: h };
  });
  const leftHead = head.filter((h) => !paired.has(h));
  const leftBase = pairs.filter((p) => p.head === null).map((p) => p.base!);
  for (const pair of pairs) {
    if (pair.head !== null) continue;
    const kind = pair.base!.kind;
    const heads = leftHead.filter((h) => h.kind === kind);
    if (heads.length === 1 && leftBase.filter((b) => b.kind === kind).length === 1) {
      pair.head = heads[0]!;
      paired.add(heads[0]!);
    }
  }
  for (const h of head) if (!paired.has(h)) pairs.push({ base: null, head: h });
  return pairs;
}

function engineText(engine: EngineRun): string {
  return `${engine.kind}${engine.info.version ? ` ${engine.info.version}` : ''} · ${engine.model}${engine.simulated ? ' (simulated)' : ''}`;
}

function simulatedText(engine: EngineRun): string {
  return engine.simulated ? 'simulated' : 'real';
}

function scenarioText(run: Run, hash: string): string {
  const name = run.scenario['name'];
  return `${typeof name === 'string' && name !== '' ? name : 'unnamed'} (${hash})`;
}

const FIELD_TEXT_MAX = 80;

/**
 * A scenario field's value as one short line. Prompts and phases can be long and differ only far
 * in, so a cut value ends with a hash of the whole: two cut values that read alike still differ.
 */
function fieldText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= FIELD_TEXT_MAX) return text;
  return `${text.slice(0, FIELD_TEXT_MAX)}… (${createHash('sha256').update(text).digest('hex').slice(0, 8)})`;
}
