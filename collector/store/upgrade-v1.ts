// Run format v1 → v2. v1's run.json had no clockOriginEpochMs (the monotonic origin of every
// request offset as epoch ms). A v1 file from a store that already wrote it keeps its own; one
// without it gets startedAt (the run's wall-clock start, written a moment after the origin), and
// a warning says that offsets are lined up with server clocks to within that moment, not exactly.
import type { RunDocument } from './migrate.ts';

export const ESTIMATED_ORIGIN_WARNING =
  'Upgraded from run format v1, which did not record the clock origin: request times are placed from startedAt, so they line up with server-side clocks only to within a few milliseconds.';

export function upgradeV1(doc: RunDocument): RunDocument {
  if (typeof doc['clockOriginEpochMs'] === 'number') return { ...doc };
  const started = typeof doc['startedAt'] === 'string' ? Date.parse(doc['startedAt']) : Number.NaN;
  // Without a start time there is nothing to place it from: the reader reports the field missing.
  if (!Number.isFinite(started)) return { ...doc };
  const warnings = Array.isArray(doc['warnings']) ? [...(doc['warnings'] as unknown[]), ESTIMATED_ORIGIN_WARNING] : doc['warnings'];
  return { ...doc, clockOriginEpochMs: started, warnings };
}
