// Recommendations from rules over a run's evidence: each cites the number that triggered it and
// names what to do. No rule fires without its number; a run with nothing to say gives none.
// The rules, by file: failures (every request / some requests failed, and why), overload (429s),
// client (the collector could not keep up), server (queueing, KV cache).
import type { Run } from '../../../collector/store/schema/index.ts';
import { clientRecommendations } from './recommendations-client.ts';
import { type FailureReason, failureRecommendations } from './recommendations-failures.ts';
import { overloadRecommendations } from './recommendations-overload.ts';
import { serverRecommendations } from './recommendations-server.ts';
import type { Recommendation, Severity } from './recommendations-shape.ts';

export type { Recommendation, Severity } from './recommendations-shape.ts';
export { type FailureReason, failureReasons, failureReasonsBuilder } from './recommendations-failures.ts';

const ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * What to do about a run, most severe first (engines in run order within a severity). `reasons`
 * (from failureReasons over the run's raw records) lets failures cite the engine's own message
 * and counts "overloaded" answers with the 429s; without it, the kind counts in run.json are used.
 */
export function recommend(run: Run, reasons: FailureReason[] = []): Recommendation[] {
  const found = run.engines.flatMap((engine) => [
    ...failureRecommendations(run, engine, reasons),
    ...overloadRecommendations(engine, reasons),
    ...clientRecommendations(engine),
    ...serverRecommendations(engine),
  ]);
  return found.toSorted((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
