// Run format v2 → v3. v3 only adds (a `too_large` error kind, `eventsOmitted` on a request), so a
// v2 document is already a valid v3 one once restamped; migrate() sets the stamp.
import type { RunDocument } from './migrate.ts';

export function upgradeV2(doc: RunDocument): RunDocument {
  return { ...doc };
}
