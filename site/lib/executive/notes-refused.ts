// Notes that failed a check (notes-check.ts), when the runs are read or when the executive page
// renders. Without --skip-invalid the build stops like an invalid run (exit 4); with it the run is
// built without them, and each is listed on globalThis for `servebench site build` to print (the
// loader and the pages are separate module graphs, and the command hides Astro's log).
import { InvalidRunsError, type SkippedRun } from '../load-runs.ts';

const INVALID_RUNS = Symbol.for('servebench.site.invalidRuns');
const LEFT_OUT_NOTES = Symbol.for('servebench.site.leftOutNotes');

/** Stops the build over the refused notes, or, with skipInvalid, records them as left out. */
export function refuseNotes(refused: readonly SkippedRun[], skipInvalid: boolean): void {
  if (refused.length === 0) return;
  const shared = globalThis as Record<symbol, unknown>;
  if (!skipInvalid) {
    const error = new InvalidRunsError([...refused], 'RUN_INVALID');
    shared[INVALID_RUNS] = error;
    throw error;
  }
  const leftOut = (shared[LEFT_OUT_NOTES] ??= []) as SkippedRun[];
  leftOut.push(...refused);
}
