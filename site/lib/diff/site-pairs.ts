// The site's diff pairs (pairs.ts) over the runs the site publishes. The build keeps only a digest
// of each run, without the scenario a comparability key hashes, so each run.json is read again
// here, once per build; the raw records are read only for the pages of the pairs found.
import { readRun } from '../../../collector/store/read-run.ts';
import type { LoadedRun } from '../load-runs.ts';
import { previousComparable, type DiffPair } from './pairs.ts';

export interface SitePair extends DiffPair {
  baseEntry: LoadedRun;
  headEntry: LoadedRun;
}

// Per list of runs (the build's one list), so the report pages and the diff pages read the runs once.
const cache = new WeakMap<readonly LoadedRun[], Promise<Map<string, SitePair>>>();

/** Keyed by the head run's id. */
export function sitePairs(runs: readonly LoadedRun[]): Promise<Map<string, SitePair>> {
  let pairs = cache.get(runs);
  if (pairs === undefined) {
    pairs = build(runs);
    cache.set(runs, pairs);
  }
  return pairs;
}

async function build(runs: readonly LoadedRun[]): Promise<Map<string, SitePair>> {
  const entries = new Map(runs.map((e) => [e.run.id, e]));
  const full = await Promise.all(runs.map((e) => readRun(e.dir)));
  const out = new Map<string, SitePair>();
  for (const [headId, pair] of previousComparable(full)) {
    out.set(headId, { ...pair, baseEntry: entries.get(pair.base.id)!, headEntry: entries.get(headId)! });
  }
  return out;
}
