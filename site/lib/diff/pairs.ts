// Which run each run is diffed against on the site: the newest run that started before it and
// measured the same things (no environment difference that refuses a comparison: same engines,
// APIs, models, scenario, load points, simulated or not). Pure: whole runs in, pairs out.
import { comparabilityKey, environmentDiff, refuseKeyText, worstSeverity } from '../../../collector/compare/comparability.ts';
import type { Run } from '../../../collector/store/schema/index.ts';

export interface DiffPair {
  base: Run;
  head: Run;
}

/** Every engine × phase's refuse key, sorted: runs with different texts can never be compared. */
function runKey(run: Run): string {
  return JSON.stringify(run.engines.flatMap((e) => e.phases.map((p) => refuseKeyText(comparabilityKey(run, e, p)))).sort());
}

/** One pair per run that has an earlier comparable run, keyed by the head's id. */
export function previousComparable(runs: readonly Run[]): Map<string, DiffPair> {
  // Grouped by key first, so a site of many unrelated runs does not diff every run's environment with every other's.
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    // A run with no summarised phase (partial, or nothing measured) has nothing to compare.
    if (!run.engines.some((e) => e.phases.length > 0)) continue;
    const key = runKey(run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const pairs = new Map<string, DiffPair>();
  for (const group of groups.values()) {
    const oldestFirst = [...group].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id));
    oldestFirst.forEach((head, i) => {
      for (let j = i - 1; j >= 0; j--) {
        const base = oldestFirst[j]!;
        if (Date.parse(base.startedAt) >= Date.parse(head.startedAt)) continue;
        // The key misses what environmentDiff also checks (engine labels, phase names): confirm.
        if (worstSeverity(environmentDiff(base, head)) === 'refuse') continue;
        pairs.set(head.id, { base, head });
        break;
      }
    });
  }
  return pairs;
}

/** `diff/<base>...<head>/`: run ids are URL-safe by the schema, encoded anyway. */
export function diffPath(baseId: string, headId: string): string {
  return `diff/${diffSlug(baseId, headId)}/`;
}

export function diffSlug(baseId: string, headId: string): string {
  return `${encodeURIComponent(baseId)}...${encodeURIComponent(headId)}`;
}
