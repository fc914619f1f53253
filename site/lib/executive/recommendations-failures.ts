// Failed requests: why they failed, in the engine's own words where the records say, and what to
// do about it. run.json counts failures by kind only; the messages (HTTP 404: model 'x' not
// found) are in the raw records, so a caller that reads them folds them in with failureReasons.
import { terminalSafe } from '../../../collector/output/terminal-text.ts';
import type { EngineRun, PhaseSummary, RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { integer, percent } from '../format.ts';
import { atLoad, type PhaseHit, type Recommendation, worstHit } from './recommendations-shape.ts';

/** One distinct reason requests failed for, in one engine × phase. */
export interface FailureReason {
  engine: string;
  phase: string;
  kind: string;
  /** The adapter's class of an engine's error (model_not_found, overloaded, …), when it recognised one. */
  classification: string | null;
  httpStatus: number | null;
  /** The engine's message, control characters removed and cut to MESSAGE_CHARS. */
  message: string;
  count: number;
}

/** Under a 1 % failure share a run is still worth reading as it is; at or above, say so louder. */
export const FAILURE_WARNING_SHARE = 0.01;
const MESSAGE_CHARS = 200;
/** Distinct messages kept per engine × phase: an engine putting request ids in its errors must not grow this without bound. */
const REASONS_PER_PHASE = 50;

/** The engine's message as one short printable line: it is untrusted text. */
function cleanMessage(message: string): string {
  const line = terminalSafe(message).replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_CHARS ? `${line.slice(0, MESSAGE_CHARS)}…` : line;
}

export interface FailureReasonsBuilder {
  add(record: RequestRecord): void;
  /** Reasons most common first. */
  finish(): FailureReason[];
}

/** Folds measured failed records in one at a time, for streamed reading of a run's raw file. */
export function failureReasonsBuilder(): FailureReasonsBuilder {
  const byPhase = new Map<string, Map<string, FailureReason>>();
  return {
    add(record) {
      if (record.warmup || record.status !== 'error' || record.error === null) return;
      const where = JSON.stringify([record.engine, record.phase]);
      let reasons = byPhase.get(where);
      if (reasons === undefined) byPhase.set(where, (reasons = new Map()));
      const reason: FailureReason = {
        engine: record.engine,
        phase: record.phase,
        kind: record.error.kind,
        classification: record.error.classification,
        httpStatus: record.error.httpStatus,
        message: cleanMessage(record.error.message),
        count: 1,
      };
      const key = JSON.stringify([reason.kind, reason.classification, reason.httpStatus, reason.message]);
      const seen = reasons.get(key);
      if (seen !== undefined) seen.count += 1;
      else if (reasons.size < REASONS_PER_PHASE) reasons.set(key, reason);
      else {
        // Past the cap, further distinct messages are counted under their kind alone.
        const other = `${reason.kind} (other messages)`;
        const lumped = reasons.get(other);
        if (lumped !== undefined) lumped.count += 1;
        else reasons.set(other, { ...reason, message: 'further distinct messages' });
      }
    },
    finish() {
      return [...byPhase.values()].flatMap((reasons) => [...reasons.values()]).sort((a, b) => b.count - a.count);
    },
  };
}

export function failureReasons(records: Iterable<RequestRecord>): FailureReason[] {
  const builder = failureReasonsBuilder();
  for (const record of records) builder.add(record);
  return builder.finish();
}

// Maps, not object lookups: a classification is the engine's text and could be `__proto__`.
const FIX_BY_CLASSIFICATION = new Map(Object.entries({
  model_not_found: 'Check the model name the engine serves (GET /v1/models, or `ollama list`) and set it as the engine\'s model in the scenario.',
  auth_error: 'Give the engine\'s credentials: SERVEBENCH_API_KEY, --api-key-env or --api-key-file.',
  context_length_exceeded: 'Use shorter prompts or a lower max tokens, or start the engine with a longer maximum context.',
  overloaded: 'Lower the load, or raise the engine\'s admission limit if it has the capacity.',
  loading: 'Wait until the model has loaded, or add warm-up requests, before measuring.',
  unhealthy: 'Check the engine\'s health and its log: it reported itself unhealthy.',
  bad_request: 'The engine rejected the request itself: its message names the field; check the engine kind and API match the server.',
  server_error_midstream: 'Read the engine\'s log at the time of the failures: it failed while generating.',
  server_error: 'Read the engine\'s log at the time of the failures: it answered with a server error.',
}));

const FIX_BY_KIND = new Map(Object.entries({
  connection_refused: 'Nothing listened at the engine\'s URL during the run: check that the engine stayed up (its log, the out-of-memory killer).',
  connection_reset: 'The engine or a proxy closed connections: check the engine\'s log for restarts and any proxy\'s idle timeout.',
  connection_failed: 'The collector could not open connections: raise its open-file limit (ulimit -n) or lower the concurrency.',
  http_error: 'The engine answered with an HTTP error: its status and message say why.',
  http_429: 'The engine refused requests over its admission limit: lower the load, or raise the limit if it has the capacity.',
  timeout_ttft: 'No first token within the TTFT timeout: lower the load, or raise timeouts.ttftS if such waits are acceptable.',
  timeout_idle: 'The stream stalled past the idle timeout: check the engine\'s log, or raise timeouts.idleS.',
  timeout_total: 'Requests ran past the total timeout: lower max tokens or the load, or raise timeouts.totalS.',
  stream_cut: 'The engine closed streams mid-answer: check its log for crashes or restarts.',
  engine_error: 'The engine reported an error in the stream: its message says why.',
  malformed_chunk: 'The engine\'s stream is not in the format expected: check the engine kind and API match the server.',
  empty_response: 'The engine answered without any text: check the model and its chat template.',
  too_large: 'Answers exceeded servebench\'s size caps: lower max tokens.',
  cancelled: 'Requests were cancelled when the run stopped (Ctrl-C, or the grace period ran out): let phases finish, or raise graceS.',
}));

/** What to do about the most common reason. */
function fixFor(kind: string, classification: string | null, httpStatus: number | null): string {
  const byClass = classification === null ? undefined : FIX_BY_CLASSIFICATION.get(classification);
  if (byClass !== undefined) return byClass;
  if (httpStatus === 401 || httpStatus === 403) return FIX_BY_CLASSIFICATION.get('auth_error')!;
  if (httpStatus === 404) return 'The engine answered 404: check the engine URL, its API (e.g. /v1 for OpenAI-compatible servers) and the model name it serves.';
  return FIX_BY_KIND.get(kind) ?? 'See the error messages in the run\'s raw records for why requests failed.';
}

/** The most common failure of these phases: a record's message when there are records, else the kind counts. */
function topReason(engine: EngineRun, phases: PhaseSummary[], reasons: FailureReason[]): { text: string; fix: string } | null {
  const names = new Set(phases.map((p) => p.name));
  const merged = new Map<string, FailureReason>();
  for (const reason of reasons) {
    if (reason.engine !== engine.label || !names.has(reason.phase)) continue;
    const key = JSON.stringify([reason.kind, reason.classification, reason.httpStatus, reason.message]);
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? { ...reason } : { ...seen, count: seen.count + reason.count });
  }
  const top = [...merged.values()].sort((a, b) => b.count - a.count)[0];
  if (top !== undefined) {
    return { text: `most common: ${top.message || top.kind} (${top.kind}, ${integer(top.count)} requests)`, fix: fixFor(top.kind, top.classification, top.httpStatus) };
  }
  const kinds = new Map<string, number>();
  for (const phase of phases) for (const [kind, n] of Object.entries(phase.errorsByKind)) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  const [kind, n] = [...kinds].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (kind === undefined || n === undefined || n === 0) return null;
  return { text: `most common: ${kind} (${integer(n)} requests)`, fix: fixFor(kind, null, null) };
}

/** A problem met while describing the engine that may say why requests failed (e.g. /api/show: HTTP 404: model not found), not a note such as "simulated". */
const FAILURE_NOTE = /HTTP \d{3}|not found|error|fail|refused|denied/i;

/** What the run itself said about the engine: its warnings naming it, then the failures met describing it. */
function runNotes(run: Run, engine: EngineRun): string[] {
  const own = run.warnings.filter((w) => w.startsWith(`${engine.label}:`) || w.startsWith(`${engine.label} /`));
  return [...own, ...engine.info.problems.filter((p) => FAILURE_NOTE.test(p))].map(cleanMessage);
}

const sum = (phases: PhaseSummary[], pick: (p: PhaseSummary) => number): number => phases.reduce((acc, p) => acc + pick(p), 0);

function allFailed(run: Run, engine: EngineRun, reasons: FailureReason[]): Recommendation | null {
  const total = sum(engine.phases, (p) => p.requests.total);
  if (total === 0 || sum(engine.phases, (p) => p.requests.ok) > 0) return null;
  const top = topReason(engine, engine.phases, reasons);
  const notes = reasons.some((r) => r.engine === engine.label) ? [] : runNotes(run, engine);
  return {
    engine: engine.label,
    phase: null,
    severity: 'critical',
    finding: `Every request to ${engine.label} failed: there is nothing to compare for it`,
    evidence: [`0 of ${integer(total)} requests succeeded`, top?.text, ...notes.slice(0, 2).map((note) => `the run says: ${note}`)].filter(Boolean).join('; '),
    action: top?.fix ?? 'See the run\'s raw records for why requests failed.',
  };
}

/** Phases where some, or all, requests failed, for an engine that succeeded somewhere. */
function phaseFailures(engine: EngineRun, reasons: FailureReason[]): Recommendation[] {
  const out: Recommendation[] = [];
  const dead = engine.phases.filter((p) => p.requests.total > 0 && p.requests.ok === 0);
  const deadHit = worstHit(dead.map((p) => ({ phase: p.name, score: p.requests.total, evidence: `0 of ${integer(p.requests.total)} requests succeeded ${atLoad(p)}` })));
  if (deadHit !== null) {
    const top = topReason(engine, dead, reasons);
    out.push({
      engine: engine.label,
      phase: deadHit.phase,
      severity: 'critical',
      finding: `Every request to ${engine.label} failed in ${dead.length === 1 ? 'one phase' : `${dead.length} phases`}`,
      evidence: [deadHit.evidence, top?.text].filter(Boolean).join('; '),
      action: top?.fix ?? 'See the run\'s raw records for why requests failed.',
    });
  }
  // Phases failing only by admission (429, overloaded) are the overload rule's.
  const partial = engine.phases.filter((p) => p.requests.ok > 0 && p.requests.failed > 0 && p.requests.failed > overloadCount(engine, p, reasons));
  const hits: Array<PhaseHit & { summary: PhaseSummary }> = partial.map((p) => {
    const share = p.requests.failed / p.requests.total;
    return { phase: p.name, summary: p, score: share, evidence: `${integer(p.requests.failed)} of ${integer(p.requests.total)} requests failed (${percent(share)}) ${atLoad(p)}` };
  });
  const worst = worstHit(hits);
  if (worst !== null) {
    const phase = hits.find((h) => h.phase === worst.phase)!.summary;
    const top = topReason(engine, [phase], reasons);
    out.push({
      engine: engine.label,
      phase: worst.phase,
      severity: worst.score >= FAILURE_WARNING_SHARE ? 'warning' : 'info',
      finding: `Some requests to ${engine.label} failed`,
      evidence: [worst.evidence, top?.text].filter(Boolean).join('; '),
      action: top?.fix ?? 'See the run\'s raw records for why requests failed.',
    });
  }
  return out;
}

/** Requests a phase lost to admission limits: HTTP 429s, and errors the adapter classed as overloaded. */
export function overloadCount(engine: EngineRun, phase: PhaseSummary, reasons: FailureReason[]): number {
  const overloaded = reasons
    .filter((r) => r.engine === engine.label && r.phase === phase.name && r.kind !== 'http_429' && r.classification === 'overloaded')
    .reduce((acc, r) => acc + r.count, 0);
  return (phase.errorsByKind['http_429'] ?? 0) + overloaded;
}

export function failureRecommendations(run: Run, engine: EngineRun, reasons: FailureReason[]): Recommendation[] {
  const all = allFailed(run, engine, reasons);
  return all !== null ? [all] : phaseFailures(engine, reasons);
}
