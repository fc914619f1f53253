// Failed requests called out per engine, with why in the engine's own words: "every request to
// ollama failed (12 of 12): HTTP 404 model 'x' not found". The counts come from run.json; the
// messages from the raw records, gathered once per run with its charts (site/lib/derived/) by the
// recommendations' failureReasonsBuilder, which also cleans them (they are untrusted engine text).
import type { EngineRun } from '../../../collector/store/schema/index.ts';
import { integer, percent } from '../format.ts';
import type { FailureReason } from './recommendations.ts';

/** Messages shown per engine, most frequent first. */
export const MESSAGES_SHOWN = 3;

export interface FailureMessage {
  kind: string;
  message: string;
  count: number;
}

export interface FailureCallout {
  engine: string;
  /** Every measured request failed, or some did. */
  severity: 'all' | 'some';
  /** `every request to ollama failed (12 of 12)` / `3 of 36 requests to tgi failed (8.3%)`. */
  headline: string;
  /** The engine's most frequent messages over all its phases; empty when the records hold none. */
  messages: FailureMessage[];
  /** Failures by kind (from run.json), for when the messages say little. */
  kinds: { kind: string; count: number }[];
}

function messagesOf(engine: string, reasons: readonly FailureReason[]): FailureMessage[] {
  const merged = new Map<string, FailureMessage>();
  for (const reason of reasons) {
    if (reason.engine !== engine) continue;
    const key = JSON.stringify([reason.kind, reason.message]);
    const seen = merged.get(key);
    if (seen !== undefined) seen.count += reason.count;
    else merged.set(key, { kind: reason.kind, message: reason.message, count: reason.count });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || a.message.localeCompare(b.message)).slice(0, MESSAGES_SHOWN);
}

/** A call-out for every engine with failed measured requests, those that failed every request first. */
export function failureCallouts(engines: readonly Pick<EngineRun, 'label' | 'phases'>[], reasons: readonly FailureReason[]): FailureCallout[] {
  const callouts: FailureCallout[] = [];
  for (const engine of engines) {
    const total = engine.phases.reduce((n, p) => n + p.requests.total, 0);
    const failed = engine.phases.reduce((n, p) => n + p.requests.failed, 0);
    if (failed === 0) continue;
    const kinds = new Map<string, number>();
    for (const phase of engine.phases) for (const [kind, n] of Object.entries(phase.errorsByKind)) if (n > 0) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    const all = failed === total;
    callouts.push({
      engine: engine.label,
      severity: all ? 'all' : 'some',
      headline: all
        ? `every request to ${engine.label} failed (${integer(failed)} of ${integer(total)})`
        : `${integer(failed)} of ${integer(total)} requests to ${engine.label} failed (${percent(failed / total)})`,
      messages: messagesOf(engine.label, reasons),
      kinds: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    });
  }
  return callouts.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'all' ? -1 : 1));
}
