// A record as it may be written: every string redacted (object keys too), then validated with the
// reader's own schema, so no engine answer can put a secret on disk or make a record the reader
// rejects (which would lose the whole run). What had to be dropped is said in `problems`.
import { redactDeep, type Redactor } from '../config/redact.ts';
import { RequestRecord } from '../store/schema/index.ts';
import { checkRecord } from '../store/check-record.ts';

/** Longest finish reason kept: real ones are a word (`stop`, `length`, `eos_token`). */
const FINISH_REASON_LIMIT = 200;

/** Fields an engine fills that may be nulled when invalid: the record stays true without them. */
const NULLABLE = new Set(['finishReason', 'stoppedEarly', 'inputTokens', 'outputTokens', 'outputTokensSource', 'native', 'headersMs', 'endMs', 'httpStatus']);

export function safeRecord(record: RequestRecord, redact: Redactor, problems: string[]): RequestRecord {
  // The events hold only numbers and our own kind names: nothing to redact, and they can be many.
  const { events, ...rest } = record;
  const clean: RequestRecord = { ...redactDeep(rest, redact), events };
  if (clean.finishReason !== null && clean.finishReason.length > FINISH_REASON_LIMIT) {
    clean.finishReason = `${clean.finishReason.slice(0, FINISH_REASON_LIMIT)}…`;
  }
  const first = checkRecord(clean);
  if (first.success) return first.data;
  const repaired: Record<string, unknown> = { ...clean, events: [...clean.events], native: clean.native ? { ...clean.native } : null };
  const dropEvents = new Set<number>();
  for (const issue of first.error.issues) {
    const [field, key] = issue.path;
    if (field === 'native' && typeof key === 'string' && repaired['native']) {
      delete (repaired['native'] as Record<string, unknown>)[key];
      problems.push(`native timing "${key}" is not a finite number: left out`);
    } else if (field === 'events' && typeof key === 'number') {
      dropEvents.add(key);
    } else if (typeof field === 'string' && NULLABLE.has(field)) {
      repaired[field] = null;
      problems.push(`${field} was not valid (${issue.message}): left out`);
    } else {
      // Anything else is ours, not the engine's: a servebench bug, and writing it would lose the run.
      throw new Error(`refusing to write an invalid request record (a servebench bug): ${issue.path.join('.')}: ${issue.message}`);
    }
  }
  if (dropEvents.size > 0) {
    repaired['events'] = clean.events.filter((_, i) => !dropEvents.has(i));
    problems.push(`${dropEvents.size} stream event${dropEvents.size === 1 ? ' was' : 's were'} not valid: left out`);
  }
  return RequestRecord.parse(repaired);
}

/**
 * Problems with engine numbers, counted per engine, for the run's warnings: one line per engine and
 * kind of problem, with how many answers had it and the first example.
 */
export interface NumberProblems {
  add(engine: string, problems: readonly string[]): void;
  warnings(): string[];
}

export function collectNumberProblems(): NumberProblems {
  const seen = new Map<string, { engine: string; count: number; example: string }>();
  return {
    add(engine, problems) {
      for (const problem of problems) {
        // The kind of problem is the sentence without its numbers.
        const key = `${engine}\u0000${problem.replace(/-?[\d.e+]+|"[^"]*"/g, '#')}`;
        const entry = seen.get(key);
        if (entry) entry.count += 1;
        else seen.set(key, { engine, count: 1, example: problem });
      }
    },
    warnings: () =>
      [...seen.values()].map(
        (p) =>
          `${p.engine}: ${p.count} answer${p.count === 1 ? '' : 's'} carried a number no answer can have, left out of the run (first: ${p.example})`,
      ),
  };
}
