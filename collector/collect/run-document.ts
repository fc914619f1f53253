// The run document (run.json) as every command that measures writes it: built here once, so a
// `collect` run and a `race` run carry the same stamps, hashes and redaction.
import { createHash } from 'node:crypto';
import { redactDeep, type Redactor } from '../config/redact.ts';
import { DEFINITIONS } from '../metrics/definitions.ts';
import { capacityAtSlo } from '../metrics/slo/capacity.ts';
import { describeHost } from '../store/host.ts';
import { canonicalScenarioHash } from '../store/scenario-hash.ts';
import { CURRENT_SCHEMA_VERSION, RAW_FILE_GZ } from '../store/schema/index.ts';
import type { EngineRun, Run } from '../store/schema/index.ts';
import { gitSha, toolVersion } from '../version.ts';
import type { EngineSession } from './preflight.ts';

/** The warning a run carries until it is finished (or recovered). */
export const IN_PROGRESS_WARNING = 'in progress, or the collector stopped before it finished: run `servebench runs recover` on this directory';

export interface RunStart {
  id: string;
  /** Run name as configured (redacted here). */
  name: string;
  startedAt: Date;
  /** Epoch ms of the monotonic origin every request offset counts from. */
  clockOriginEpochMs: number;
  /** The resolved scenario (redacted here; store/scenario-hash.ts says what its hash covers). */
  scenario: Record<string, unknown> & { seed: number };
  /** The objectives every phase is judged against; null: no SLO set. */
  slo: Run['slo'];
  sessions: EngineSession[];
  redact: Redactor;
}

/**
 * The run as written before the first request: `partial`, every engine without phases, so a
 * collector killed mid-run leaves a readable run that `servebench runs recover` completes.
 */
export function startRunDocument(start: RunStart): Run {
  const { redact } = start;
  const scenario = redactDeep(start.scenario, redact);
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id: start.id,
    name: redact(start.name),
    status: 'partial',
    startedAt: start.startedAt.toISOString(),
    finishedAt: null,
    clockOriginEpochMs: start.clockOriginEpochMs,
    tool: { name: 'servebench', version: toolVersion(), gitSha: gitSha() },
    host: describeHost(),
    scenario,
    // Over the scenario as stored, so a reader recomputing it from run.json gets the same hash.
    scenarioHash: canonicalScenarioHash(scenario),
    definitions: DEFINITIONS,
    slo: start.slo,
    engines: start.sessions.map((s) => engineRunOf(s, [], redact)),
    errorsByKind: {},
    warnings: [IN_PROGRESS_WARNING],
    rawFile: RAW_FILE_GZ,
  };
}

export interface RunEnd {
  /** Ctrl-C stopped the run. */
  aborted: boolean;
  finishedAt: Date;
  /** Every engine of the run, measured or not, in the run's order. */
  engines: EngineRun[];
  warnings: string[];
  /** Applied to every string of the finished run: scrape errors and warnings can carry an engine's echo. */
  redact: Redactor;
}

/** The finished run: status from what was measured (failed when no request succeeded), errors counted over every phase. */
export function finishRunDocument(base: Run, end: RunEnd): Run {
  const errorsByKind: Record<string, number> = {};
  let ok = 0;
  for (const engine of end.engines) {
    for (const phase of engine.phases) {
      ok += phase.requests.ok;
      for (const [kind, n] of Object.entries(phase.errorsByKind)) errorsByKind[kind] = (errorsByKind[kind] ?? 0) + n;
    }
  }
  return redactDeep(
    {
      ...base,
      status: end.aborted ? 'aborted' : ok === 0 ? 'failed' : 'completed',
      finishedAt: end.finishedAt.toISOString(),
      engines: end.engines,
      errorsByKind,
      warnings: end.warnings,
    },
    end.redact,
  );
}

/** One engine's entry in run.json: what it said about itself (redacted) and its phases. */
export function engineRunOf(session: EngineSession, phases: EngineRun['phases'], redact: Redactor): EngineRun {
  const { plan, info } = session;
  // The reader wants a whole number here: a fractional or negative context length is an engine bug.
  const maxModelTokens = info.maxModelTokens ?? null;
  const validMax = maxModelTokens === null || (Number.isSafeInteger(maxModelTokens) && maxModelTokens > 0) ? maxModelTokens : null;
  const problems = validMax === maxModelTokens ? info.problems : [...info.problems, `the engine stated a maximum context of ${maxModelTokens} tokens, which is not a whole number > 0: left out`];
  return {
    label: plan.label,
    kind: plan.kind,
    api: plan.api,
    url: plan.publicUrl,
    model: redact(plan.model),
    simulated: info.simulated,
    info: redactDeep(
      {
        version: info.version ?? null,
        model: info.model ?? null,
        modelRevision: info.modelRevision ?? null,
        maxModelTokens: validMax,
        raw: info.raw,
        problems,
      },
      redact,
    ),
    headerNames: plan.headerNames,
    identity: hash([plan.kind, plan.api, info.version ?? null, plan.model, info.modelRevision ?? null, info.simulated]),
    ...withCapacity(phases),
  };
}

/** An engine's phases and, when they are a sweep judged against objectives, its capacity at SLO. */
export function withCapacity(phases: EngineRun['phases']): Pick<EngineRun, 'phases' | 'capacityAtSlo'> {
  const capacity = capacityAtSlo(phases);
  return capacity === undefined ? { phases } : { phases, capacityAtSlo: capacity };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
