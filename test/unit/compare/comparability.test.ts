// Comparability of two runs over the golden fixture, edited one field at a time: what refuses a
// comparison, what only warns, and what is not a difference at all.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparabilityKey, environmentDiff, loadPoint, refuseKeyText, worstSeverity, type EnvironmentRow } from '../../../collector/compare/comparability.ts';
import { readRun } from '../../../collector/store/read-run.ts';
import type { Run } from '../../../collector/store/schema/index.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

let golden: Run;
beforeAll(async () => {
  golden = await readRun(GOLDEN);
});

/** A copy of the golden run with `edit` applied. */
function edited(edit: (run: Run) => void): Run {
  const run = structuredClone(golden);
  edit(run);
  return run;
}

const vllm = (run: Run) => run.engines.find((e) => e.label === 'vllm-a')!;
const ollama = (run: Run) => run.engines.find((e) => e.label === 'ollama-b')!;
const pick = (rows: EnvironmentRow[]) => rows.map((r) => [r.label, r.engine, r.phase, r.base, r.head, r.severity]);

describe('the comparability key', () => {
  it("holds each engine × phase's engine, model, scenario, load point, host class and servebench version", () => {
    const engine = vllm(golden);
    expect(comparabilityKey(golden, engine, engine.phases[0]!)).toEqual({
      engineKind: 'vllm',
      api: engine.api,
      engineVersion: '0.6.3.post1',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      modelRevision: '0e9e39f249a16976918f6564b8830bc894c89659',
      simulated: false,
      scenarioHash: golden.scenarioHash,
      loadPoint: 'closed-loop concurrency=2 requests=3',
      hostClass: 'AMD EPYC 7763 64-Core Processor ×16, linux/x64',
      servebenchVersion: '0.1.0',
    });
  });

  it('keeps the refusing part of the key across an engine release, and not across a model change', () => {
    const key = (run: Run) => refuseKeyText(comparabilityKey(run, vllm(run), vllm(run).phases[0]!));
    expect(key(edited((r) => (vllm(r).info.version = '0.7.0')))).toBe(key(golden));
    expect(key(edited((r) => (r.host.cpuCount = 32)))).toBe(key(golden));
    expect(key(edited((r) => (vllm(r).model = 'other/model')))).not.toBe(key(golden));
    expect(key(edited((r) => (vllm(r).simulated = true)))).not.toBe(key(golden));
  });

  it('writes a load point as its shape and its parameters sorted by name', () => {
    expect(loadPoint({ shape: 'poisson', rate: 20, maxInFlight: 64 })).toBe('poisson maxInFlight=64 rate=20');
    expect(loadPoint({ shape: 'sequential' })).toBe('sequential');
  });
});

describe('the environment diff', () => {
  it('is empty for a run against itself, and against a copy that differs only in what is not measured', () => {
    expect(environmentDiff(golden, golden)).toEqual([]);
    expect(worstSeverity([])).toBeNull();
    const renamed = edited((r) => {
      r.id = 'other';
      r.name = 'another name';
      r.startedAt = '2026-01-01T00:00:00.000Z';
      r.host.hostname = 'bench-02';
      r.host.memoryBytes = 1;
      r.tool.gitSha = null;
      r.scenario = { ...r.scenario, name: 'renamed', workload: {}, slo: { ttftP95Ms: 100 }, roi: { gpuHourlyCost: 2 } };
    });
    expect(environmentDiff(golden, renamed)).toEqual([]);
  });

  it('warns on an engine version, a host class and a servebench version', () => {
    const head = edited((r) => {
      vllm(r).info.version = '0.7.0';
      r.host.cpuModel = 'Intel(R) Xeon(R) Platinum 8480+';
      r.tool.version = '0.2.0';
    });
    const rows = environmentDiff(golden, head);
    expect(pick(rows)).toEqual([
      ['host class', null, null, 'AMD EPYC 7763 64-Core Processor ×16, linux/x64', 'Intel(R) Xeon(R) Platinum 8480+ ×16, linux/x64', 'warn'],
      ['servebench version', null, null, '0.1.0', '0.2.0', 'warn'],
      ['engine version', 'vllm-a', null, '0.6.3.post1', '0.7.0', 'warn'],
    ]);
    expect(worstSeverity(rows)).toBe('warn');
  });

  it('refuses a different model, and a simulated engine against a real one', () => {
    const head = edited((r) => {
      vllm(r).model = 'Qwen/Qwen2.5-7B-Instruct';
      ollama(r).simulated = false;
    });
    const rows = environmentDiff(golden, head);
    expect(pick(rows)).toEqual([
      ['model', 'vllm-a', null, 'meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'refuse'],
      ['simulated', 'ollama-b', null, 'simulated', 'real', 'refuse'],
    ]);
    expect(worstSeverity(rows)).toBe('refuse');
  });

  it('refuses a different model revision, but only warns when one side does not know its revision', () => {
    expect(pick(environmentDiff(golden, edited((r) => (ollama(r).info.modelRevision = 'ffffffffffff'))))).toEqual([
      ['model revision', 'ollama-b', null, '46e0c10c039e', 'ffffffffffff', 'refuse'],
    ]);
    expect(pick(environmentDiff(golden, edited((r) => (ollama(r).info.modelRevision = null))))).toEqual([
      ['model revision', 'ollama-b', null, '46e0c10c039e', null, 'warn'],
    ]);
  });

  it('refuses a different scenario and names the fields that differ', () => {
    const head = edited((r) => (r.scenario = { ...r.scenario, maxTokens: 512, seed: 7 }));
    const rows = environmentDiff(golden, head);
    const headHash = environmentDiff(golden, head)[0]!.head!;
    expect(pick(rows)).toEqual([
      ['scenario', null, null, `golden chat smoke (${golden.scenarioHash})`, headHash, 'refuse'],
      ['scenario maxTokens', null, null, String(golden.scenario['maxTokens']), '512', 'refuse'],
      ['scenario seed', null, null, String(golden.scenario.seed), '7', 'refuse'],
    ]);
    expect(headHash).toMatch(/^golden chat smoke \([0-9a-f]{16}\)$/);
    expect(headHash).not.toContain(golden.scenarioHash);
  });

  it('cuts a long scenario field short, with a hash that tells two cut values apart', () => {
    const long = (tail: string) => edited((r) => (r.scenario = { ...r.scenario, prompts: { items: [{ id: 'x', text: `${'a'.repeat(200)}${tail}` }] } }));
    const row = environmentDiff(long('1'), long('2')).find((r) => r.label === 'scenario prompts')!;
    expect(row.base!.length).toBeLessThan(100);
    expect(row.base).not.toBe(row.head);
  });

  it('refuses a phase at another load point, and a phase only one run has', () => {
    const head = edited((r) => {
      vllm(r).phases[0]!.load = { shape: 'closed-loop', concurrency: 8, requests: 3 };
      ollama(r).phases.push({ ...structuredClone(ollama(r).phases[0]!), name: 'extra' });
    });
    expect(pick(environmentDiff(golden, head))).toEqual([
      ['load point', 'vllm-a', 'main', 'closed-loop concurrency=2 requests=3', 'closed-loop concurrency=8 requests=3', 'refuse'],
      ['load point', 'ollama-b', 'extra', null, 'closed-loop concurrency=2 requests=3', 'refuse'],
    ]);
  });

  it('pairs engines by label, else by kind, and refuses an engine only one run has', () => {
    expect(environmentDiff(golden, edited((r) => (vllm(r).label = 'vllm-renamed')))).toEqual([]);
    const rows = environmentDiff(golden, edited((r) => (r.engines = [vllm(r)])));
    expect(pick(rows)).toEqual([['engine', 'ollama-b', null, 'ollama 0.3.12 · llama3.1:8b (simulated)', null, 'refuse']]);
  });
});
