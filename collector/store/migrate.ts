// Upgrades an older run document to the current format, one version at a time, so each
// step is written once (vN → vN+1) and old runs stay readable forever. Steps are pure: they
// get a parsed JSON document and return a new one; they do not validate (the reader does,
// once, against the current schema after the last step).
import { CURRENT_SCHEMA_VERSION } from './schema/index.ts';
import { upgradeV1 } from './upgrade-v1.ts';
import { upgradeV2 } from './upgrade-v2.ts';
import { upgradeV3 } from './upgrade-v3.ts';

export type RunDocument = Record<string, unknown>;
/** Turns a document of version N into one of version N+1. Must not mutate its argument. */
export type Upgrade = (doc: RunDocument) => RunDocument;
/** Keyed by the version an upgrade starts from. */
export type UpgradeChain = ReadonlyMap<number, Upgrade>;

/** The real chain: a v5 adds `[4, upgradeV4]`. */
export const UPGRADES: UpgradeChain = new Map([
  [1, upgradeV1],
  [2, upgradeV2],
  [3, upgradeV3],
]);

export type MigrateResult = { ok: true; doc: RunDocument; from: number } | { ok: false; missingFrom: number };

export function migrate(
  doc: RunDocument,
  from: number,
  to: number = CURRENT_SCHEMA_VERSION,
  chain: UpgradeChain = UPGRADES,
): MigrateResult {
  let current = doc;
  for (let version = from; version < to; version++) {
    const step = chain.get(version);
    if (step === undefined) return { ok: false, missingFrom: version };
    // The version stamp is set here rather than trusted to each step, so the chain cannot skip or loop.
    current = { ...step(current), schemaVersion: version + 1 };
  }
  return { ok: true, doc: current, from };
}
