// The run's objectives and cost assumptions as the configuration resolves them: no default, the
// command line replacing the scenario, the older object form converted, every problem named.
import { describe, expect, it } from 'vitest';
import { loadCollectPlan, resolveCollectPlan, type CollectFlags } from '../../../collector/config/load.ts';
import { ConfigFile } from '../../../collector/config/schema.ts';
import { formatIssues } from '../../../collector/format-issues.ts';
import { ServebenchError } from '../../../collector/errors.ts';
import { startRunDocument } from '../../../collector/collect/run-document.ts';

const ENGINES = { engine: ['vllm=http://127.0.0.1:9/', 'tgi=http://127.0.0.1:9/'], model: 'm' } satisfies CollectFlags;

const resolve = (file: unknown, flags: CollectFlags = {}) => resolveCollectPlan(ConfigFile.parse(file), '/tmp', { ...ENGINES, ...flags }, {}, '/tmp');

async function problems(file: unknown, flags: CollectFlags = {}): Promise<string> {
  const error = await resolve(file, flags).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ServebenchError);
  expect((error as ServebenchError).code).toBe('BAD_CONFIG');
  expect((error as ServebenchError).exitCode).toBe(2);
  return (error as ServebenchError).message;
}

describe('objectives in the configuration', () => {
  it('sets none unless asked: the plan says no SLO and the scenario carries none', async () => {
    const plan = await resolve({});
    expect(plan.slo).toBeNull();
    expect(plan.scenario).not.toHaveProperty('slo');
  });

  it('reads the scenario\'s list, and --slo replaces it', async () => {
    expect((await resolve({ slo: ['ttft:p95<200ms', 'error_rate<1%'] })).slo).toEqual({
      source: 'scenario',
      objectives: [expect.objectContaining({ text: 'ttft:p95<200ms' }), expect.objectContaining({ text: 'error_rate<1%', value: 0.01 })],
    });
    const plan = await resolve({ slo: ['ttft:p95<200ms'] }, { slo: ['e2e:p95<2s'] });
    expect(plan.slo).toEqual({ source: 'command line', objectives: [expect.objectContaining({ text: 'e2e:p95<2s' })] });
    expect((await resolve({ slo: ['ttft:p95<200ms'] }, { slo: ['none'] })).slo).toBeNull();
  });

  it('converts the older object form, met at equality as it was', async () => {
    expect((await resolve({ slo: { ttftP95Ms: 150, e2eP95Ms: 1000 } })).slo!.objectives.map((o) => o.text)).toEqual(['ttft:p95<=150ms', 'e2e:p95<=1s']);
  });

  it('names the preset a list came from', async () => {
    const plan = await loadCollectPlan({ ...ENGINES, preset: 'stress' }, {}, '/tmp');
    expect(plan.slo).toEqual({ source: 'preset stress', objectives: [expect.objectContaining({ text: 'ttft:p95<100ms' }), expect.objectContaining({ text: 'e2e:p95<1s' })] });
    expect((await loadCollectPlan({ ...ENGINES, preset: 'quick' }, {}, '/tmp')).slo).toBeNull();
  });

  it('reports a bad --slo naming the text and the valid forms, with the other problems', async () => {
    const message = await problems({}, { slo: ['ttft:p95<200', 'e2e<2s'], seed: '-1' });
    expect(message).toContain('--slo "ttft:p95<200" is not an objective: ttft needs a unit, ms or s, e.g. ttft:p95<200ms. Valid forms: ttft:p95<200ms e2e:p95<2s');
    expect(message).toContain('--slo "e2e<2s" is not an objective: e2e needs a statistic');
    expect(message).toContain('--seed must be a whole number');
    expect(await problems({}, { slo: ['none', 'ttft:p95<1s'] })).toContain('--slo none clears every objective: give it alone');
  });

  it('reports a bad objective in the file at its path', () => {
    const result = ConfigFile.safeParse({ slo: ['ttft:p95<200ms', 'ttft:p95 below 200ms'] }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(formatIssues('s.yaml', result.error!.issues)).toEqual([
      's.yaml: slo[1]: not an objective: expected METRIC:STAT, a comparison (<, <=, >, >=) and a number. Valid forms: ttft:p95<200ms e2e:p95<2s itl:p99<50ms tpot:p50<=30ms error_rate<1% output_tokens_per_s>50 requests_per_s>=2, got string "ttft:p95 below 200ms"',
    ]);
  });

  it('refuses --fail-on-slo without an objective to fail on', async () => {
    expect(await problems({}, { failOnSlo: true })).toContain('--fail-on-slo (failOnSlo) has no objective to fail on');
    expect((await resolve({ failOnSlo: true, slo: ['error_rate<1%'] })).failOnSlo).toBe(true);
  });
});

describe('cost assumptions in the configuration', () => {
  it('carries roi into the scenario as stated, defaults left to the report', async () => {
    const roi = { gpuHourlyCost: { vllm: 2.5, tgi: 3 }, gpuCount: 2, monthlyOutputTokens: 1e9, personHourCost: 60 };
    expect((await resolve({ roi })).scenario['roi']).toEqual(roi);
  });

  it('leaves roi and the objectives out of the scenario hash: they do not change what is measured', async () => {
    const hashOf = async (file: unknown) => {
      const plan = await resolve(file);
      const start = { id: 'x', name: plan.name, startedAt: new Date(0), clockOriginEpochMs: 1, scenario: plan.scenario, slo: plan.slo, sessions: [], redact: (t: string) => t };
      return startRunDocument(start).scenarioHash;
    };
    const plain = await hashOf({});
    expect(await hashOf({ roi: { gpuHourlyCost: 2 } })).toBe(plain);
    expect(await hashOf({ slo: ['ttft:p95<1s'] })).toBe(plain);
    expect(await hashOf({ maxTokens: 7 })).not.toBe(plain);
  });

  it('names engine labels the run does not have, and engines left without a GPU cost', async () => {
    const message = await problems({ roi: { gpuHourlyCost: { vllm: 2, vlm: 3 }, gpuCount: { tgl: 1 } } });
    expect(message).toContain('roi.gpuHourlyCost names "vlm", which is not an engine of this run: vllm, tgi');
    expect(message).toContain('roi.gpuHourlyCost gives no cost for tgi');
    expect(message).toContain('roi.gpuCount names "tgl"');
  });

  it('refuses costs that are not positive numbers', () => {
    const result = ConfigFile.safeParse({ roi: { gpuHourlyCost: -1, usersPerDay: 0 } }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['roi.gpuHourlyCost', 'roi.usersPerDay']));
  });
});
