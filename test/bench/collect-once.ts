// Runs the real collector pipeline (plan → preflight → load → raw file → summaries) in this process.
import { resolveCollectPlan } from '../../collector/config/load.ts';
import type { ConfigFile } from '../../collector/config/schema.ts';
import { runCollection, type CollectResult } from '../../collector/collect/run-collection.ts';
import { createReporter, type Reporter } from '../../collector/progress/reporter.ts';

export async function collectOnce(config: ConfigFile, out: string, reporter: Reporter = createReporter('quiet', () => undefined)): Promise<CollectResult> {
  const plan = await resolveCollectPlan(config, out, { out }, {}, out);
  return runCollection(plan, {
    now: () => performance.now(),
    timeOrigin: performance.timeOrigin,
    wallClock: () => new Date(),
    log: () => undefined,
    reporter,
    signal: new AbortController().signal,
  });
}

export function quantiles(values: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length };
}
