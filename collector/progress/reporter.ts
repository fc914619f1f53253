// How progress reaches a person: redrawn in place on a TTY, a line every few seconds otherwise,
// or not at all. Everything goes to stderr so stdout stays for results and --json.
import { createLogUpdate } from 'log-update';
import type { ProgressView } from './tracker.ts';

export type ProgressMode = 'tty' | 'plain' | 'quiet';

export interface Reporter {
  /** Called on a timer with the current phase's view. */
  update(view: ProgressView): void;
  /** A line that must stay (phase finished, warnings). */
  line(text: string): void;
  stop(): void;
  /** How often update() is worth calling, ms. */
  intervalMs: number;
}

const f1 = (n: number | null): string => (n === null ? '–' : n.toFixed(1));

export function renderLine(v: ProgressView): string {
  const eta = v.etaS === null ? '' : `, ETA ${Math.ceil(v.etaS)} s`;
  return (
    `${v.engine}${v.simulated ? ' (SIMULATED)' : ''} ${v.phase} [${v.description}]: ${v.done} done (${v.ok} ok, ${v.failed} failed), ` +
    `${v.inFlight} in flight, p50 TTFT ${f1(v.ttftP50Ms)} ms, ${v.outputTokensPerS.toFixed(0)} output tok/s${eta}`
  );
}

/** `tty` needs the terminal stream to redraw on; without one it falls back to plain lines. */
export function createReporter(mode: ProgressMode, write: (text: string) => void, tty?: NodeJS.WriteStream): Reporter {
  if (mode === 'quiet') return { update: () => undefined, line: () => undefined, stop: () => undefined, intervalMs: 60_000 };
  if (mode === 'plain' || !tty) {
    return { update: (v) => write(`${renderLine(v)}\n`), line: (t) => write(`${t}\n`), stop: () => undefined, intervalMs: 5_000 };
  }
  const live = createLogUpdate(tty);
  return {
    update: (v) => live(renderLine(v)),
    line: (t) => {
      live.clear();
      write(`${t}\n`);
    },
    stop: () => live.done(),
    intervalMs: 250,
  };
}
