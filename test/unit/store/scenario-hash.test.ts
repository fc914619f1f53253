// The canonical scenario hash: scenarios that measure the same hash the same, whatever servebench
// version wrote them and in whatever key order; a change to what is measured changes the hash.
import { describe, expect, it } from 'vitest';
import { canonicalScenarioHash } from '../../../collector/store/scenario-hash.ts';

const PROMPTS = { source: 'builtin', count: 2, items: [{ id: 'a', messages: [{ role: 'user', content: 'hi' }] }, { id: 'b', messages: [{ role: 'user', content: 'yo' }] }] };
const PHASES = [
  { name: 'c1', load: { shape: 'closed-loop', concurrency: 1 }, bounds: { requests: 12 } },
  { name: 'c4', load: { shape: 'closed-loop', concurrency: 4 }, bounds: { requests: 12 } },
];
const BASE = {
  name: 'demo',
  model: null,
  maxTokens: 48,
  temperature: 0,
  seed: 42,
  forceOutputLength: true,
  stream: true,
  timeouts: { connectS: 10, ttftS: 60, idleS: 30, totalS: 300 },
  phases: PHASES,
  prompts: PROMPTS,
};
const base = canonicalScenarioHash(BASE);

describe('the canonical scenario hash', () => {
  it('is 16 hex digits and the same on every call', () => {
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(canonicalScenarioHash(structuredClone(BASE))).toBe(base);
  });

  const equivalent: Array<[string, Record<string, unknown>]> = [
    ['workload {} where it was absent (v4 writes it, v2 did not)', { ...BASE, workload: {} }],
    ['workload whose members are all empty', { ...BASE, workload: { conversations: [], synthetic: {} } }],
    ['an empty list where it was absent', { ...BASE, categories: [] }],
    ['null where it was absent', { ...BASE, autoSweep: null }],
    ['model absent where it was null', (({ model: _m, ...rest }) => rest)(BASE)],
    ['keys in another order, at every level', Object.fromEntries(Object.entries({ ...BASE, timeouts: { totalS: 300, idleS: 30, ttftS: 60, connectS: 10 } }).reverse())],
    ['objectives in the scenario (run formats v1–v3)', { ...BASE, slo: { ttftP95Ms: 100, e2eP95Ms: 1000 } }],
    ['objectives as a list', { ...BASE, slo: ['ttft:p95<500ms'] }],
    ['cost assumptions', { ...BASE, roi: { gpuHourlyCost: 2.5, monthlyOutputTokens: 1e8 } }],
    ['another name', { ...BASE, name: 'renamed' }],
    ['where the run was written and how it exits', { ...BASE, out: 'elsewhere', failOnErrors: true, failOnSlo: true }],
    ['the same prompts read from another place', { ...BASE, prompts: { ...PROMPTS, source: 'prompts/chat.jsonl' } }],
  ];
  it.each(equivalent)('hashes the same with %s', (_what, scenario) => {
    expect(canonicalScenarioHash(scenario)).toBe(base);
  });

  const different: Array<[string, Record<string, unknown>]> = [
    ['maxTokens', { ...BASE, maxTokens: 49 }],
    ['the seed', { ...BASE, seed: 43 }],
    ['a concurrency', { ...BASE, phases: [PHASES[0], { ...PHASES[1], load: { shape: 'closed-loop', concurrency: 5 } }] }],
    ['the order of the phases', { ...BASE, phases: [...PHASES].reverse() }],
    ['a request count', { ...BASE, phases: [PHASES[0], { ...PHASES[1], bounds: { requests: 13 } }] }],
    ['the text of a prompt', { ...BASE, prompts: { ...PROMPTS, items: [PROMPTS.items[0], { id: 'b', messages: [{ role: 'user', content: 'yo!' }] }] } }],
    ['the order of the prompts', { ...BASE, prompts: { ...PROMPTS, items: [...PROMPTS.items].reverse() } }],
    ['streaming', { ...BASE, stream: false }],
    ['a timeout', { ...BASE, timeouts: { ...BASE.timeouts, ttftS: 1 } }],
    ['a workload that is set', { ...BASE, workload: { sharedPrefixTokens: 512 } }],
    ['the model', { ...BASE, model: 'llama3.1:8b' }],
  ];
  it.each(different)('changes with %s', (_what, scenario) => {
    expect(canonicalScenarioHash(scenario)).not.toBe(base);
  });

  it('keeps an empty element of a list in its place: positions are part of the measurement', () => {
    const a = canonicalScenarioHash({ ...BASE, phases: [{}, ...PHASES] });
    expect(a).not.toBe(base);
    expect(canonicalScenarioHash({ ...BASE, phases: [...PHASES, {}] })).not.toBe(a);
  });
});
