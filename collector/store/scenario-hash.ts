// The scenario hash: runs with equal hashes measured the same thing, so the site puts them in one
// series and a diff may compare them. Computed over a canonical form of the scenario as run.json
// stores it, so the writer and every reader (store/read-run.ts recomputes it for older runs) agree,
// whatever servebench version wrote the run:
// - key order does not matter;
// - an absent field, null, {} and [] are the same "not set" (v4 writes `workload: {}` where
//   earlier versions wrote nothing);
// - fields that do not change what is measured are left out (UNMEASURED).
import { createHash } from 'node:crypto';

/**
 * Top-level scenario fields that describe or judge a measurement without changing it:
 * - name: a label; renaming a scenario keeps its history;
 * - slo: objectives judge the numbers (run formats v1–v3 kept them in the scenario, v4 beside it);
 * - roi: cost assumptions for the report;
 * - out, failOnErrors, failOnSlo: where the run is written and how the exit code is chosen (not
 *   recorded in the scenario today; listed so that a future writer cannot split series by them).
 */
export const UNMEASURED = ['name', 'slo', 'roi', 'out', 'failOnErrors', 'failOnSlo'] as const;

/**
 * `prompts.source` names where the prompts came from (a file path, `builtin`): the prompts sent
 * are `prompts.items`, so the same prompts read from a file under another path measure the same.
 */
const UNMEASURED_PROMPT_FIELDS = ['source'] as const;

/**
 * Deeper nesting than any scenario servebench writes (about six levels) by a wide margin. A run file
 * can hold anything, and the canonical form recurses once per level: past this it is refused
 * instead of running out of stack.
 */
export const MAX_SCENARIO_DEPTH = 64;

/** The scenario nests deeper than MAX_SCENARIO_DEPTH: no servebench wrote it. */
export class ScenarioTooDeepError extends RangeError {}

/** 16 hex digits of the SHA-256 of the canonical scenario. */
export function canonicalScenarioHash(scenario: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(canonicalScenario(scenario))).digest('hex').slice(0, 16);
}

/** What the hash covers: the measured part of the scenario, keys sorted, "not set" values dropped. */
export function canonicalScenario(scenario: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return canonical(measuredPart(scenario)) as Record<string, unknown>;
}

function measuredPart(scenario: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...scenario };
  for (const key of UNMEASURED) delete rest[key];
  const prompts = rest['prompts'];
  if (isObject(prompts)) {
    const kept: Record<string, unknown> = { ...prompts };
    for (const key of UNMEASURED_PROMPT_FIELDS) delete kept[key];
    rest['prompts'] = kept;
  }
  return rest;
}

/**
 * Keys sorted, "not set" values dropped from objects. Array elements keep their places (the
 * order of phases and prompts is part of the measurement), so an empty one inside an array stays.
 */
function canonical(value: unknown, depth = 0): unknown {
  if (depth > MAX_SCENARIO_DEPTH) throw new ScenarioTooDeepError(`the scenario nests more than ${MAX_SCENARIO_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((item) => canonical(item, depth + 1));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = canonical(value[key], depth + 1);
    if (!isUnset(child)) out[key] = child;
  }
  return out;
}

function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
