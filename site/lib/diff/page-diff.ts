// The diff a site page shows: the same diffRuns as `servebench diff` with its defaults (τ 5 %,
// seed 1), so the page and the command agree. Computed while the page renders, not on the derived
// worker pool: one pass over each side's raw records and the bootstraps of every engine × phase ×
// metric, once per pair (each run has at most one previous run, so at most one diff per run).
import { diffRuns, goodputObjectives, type RunDiff } from '../../../collector/compare/diff-runs.ts';
import { readSamples } from '../../../collector/compare/phase-samples.ts';
import type { SitePair } from './site-pairs.ts';

export async function pageDiff(pair: SitePair): Promise<RunDiff> {
  const objectives = goodputObjectives(pair.base, pair.head);
  const [baseSamples, headSamples] = await Promise.all([readSamples(pair.baseEntry.dir, objectives), readSamples(pair.headEntry.dir, objectives)]);
  return diffRuns({ run: pair.base, samples: baseSamples }, { run: pair.head, samples: headSamples });
}
