// Run format v3 → v4. v3 judged every run against TTFT p95 100 ms and E2E p95 1 s unless its
// scenario said otherwise, without the user asking: those defaults were never the user's
// objectives, so a v3 run whose scenario holds exactly them (or none) upgrades to "no SLO set".
// A scenario that set other values did ask: they become the run's objectives, stated as v4 does,
// with `<=` because v3 counted a p95 equal to its target as meeting it.
// v3 computed no verdicts, intervals or goodput, and the upgrade does not invent them: an upgraded
// run with objectives has no phase verdicts until a v4 collector measures it again.
import { objectivesFromTargets } from '../metrics/slo/parse.ts';
import type { RunDocument } from './migrate.ts';

/** What v3's DEFAULTS.slo applied to every run. */
const V3_DEFAULT_SLO = { ttftP95Ms: 100, e2eP95Ms: 1000 };
export const V3_SLO_SOURCE = 'servebench v3 run';

export function upgradeV3(doc: RunDocument): RunDocument {
  const scenario = doc['scenario'];
  const slo = isObject(scenario) ? v3Objectives(scenario['slo']) : null;
  return { ...doc, slo };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function v3Objectives(slo: unknown): RunDocument | null {
  if (!isObject(slo)) return null;
  const ttft = positiveNumber(slo['ttftP95Ms']);
  const e2e = positiveNumber(slo['e2eP95Ms']);
  if (ttft === V3_DEFAULT_SLO.ttftP95Ms && e2e === V3_DEFAULT_SLO.e2eP95Ms) return null;
  const objectives = objectivesFromTargets({ ...(ttft !== null ? { ttftP95Ms: ttft } : {}), ...(e2e !== null ? { e2eP95Ms: e2e } : {}) });
  return objectives.length > 0 ? { objectives, source: V3_SLO_SOURCE } : null;
}

function positiveNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
