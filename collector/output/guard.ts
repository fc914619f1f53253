// The one gate between the process and a person: every line a command prints passes through it,
// so a secret an engine echoed (in an error body, a health check, a model name) is redacted and
// an engine's escape sequences never reach the terminal, whichever code path produced the line.
import { makeRedactor, type Redactor } from '../config/redact.ts';
import { terminalSafe } from './terminal-text.ts';

export interface OutputGuard {
  /** Adds secrets to redact from everything printed from now on. */
  protect(secrets: Iterable<string>): void;
  /** What may be printed of `text`. */
  clean(text: string): string;
}

export function createOutputGuard(): OutputGuard {
  const secrets = new Set<string>();
  let redact: Redactor = (text) => text;
  return {
    protect(values) {
      const before = secrets.size;
      for (const value of values) secrets.add(value);
      if (secrets.size !== before) redact = makeRedactor(secrets);
    },
    clean: (text) => terminalSafe(redact(text)),
  };
}
