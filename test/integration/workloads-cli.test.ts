// Workloads through servebench collect against the simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { requestMetrics } from '../../collector/metrics/request-metrics.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';

const FAST = { decodeStepBaseMs: 1, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };

describe('workloads in servebench collect', () => {
  let tmp: string;
  let sim: Simulation;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-workloads-'));
    sim = await startSimulation(
      [
        { kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' },
        { kind: 'ollama', port: 0, profile: 'ollama', label: 'ollama' },
      ],
      { seed: 5, overrides: FAST },
    );
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const collect = async (args: string[]): Promise<{ dir: string; records: RequestRecord[]; code: number; err: string; out: string }> => {
    const io = captureIO(tmp);
    const code = await main(['collect', '--out', tmp, '--json', '--quiet', '--max-tokens', '16', ...args], io);
    expect(io.err()).not.toContain('internal error');
    const dir = (JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string }).runDir;
    const records: RequestRecord[] = [];
    for await (const r of readRequests(dir)) records.push(r);
    return { dir, records, code, err: io.err(), out: io.out() };
  };
  const engine = (kind: string) => sim.engines.find((e) => e.kind === kind)!;

  it('runs conversations turn by turn, each turn carrying the answers before it', async () => {
    const e = engine('vllm');
    const { records, code } = await collect(['--engine', `vllm=${e.url}`, '--model', e.model, '--conversations', 'all', '--concurrency', '2', '--requests', '8']);
    expect(code).toBe(0);
    expect(records).toHaveLength(8);
    const byConversation = new Map<string, RequestRecord[]>();
    for (const r of records) {
      const [conversation] = r.promptId.split(':turn-');
      byConversation.set(conversation!, [...(byConversation.get(conversation!) ?? []), r]);
    }
    expect(byConversation.size).toBe(2);
    for (const turns of byConversation.values()) {
      turns.sort((a, b) => a.seq - b.seq);
      expect(turns.map((t) => t.promptId.split(':turn-')[1])).toEqual(['1', '2', '3', '4']);
      // The history grows: every turn's prompt is longer than the one before.
      for (let i = 1; i < turns.length; i++) expect(turns[i]!.inputTokens!).toBeGreaterThan(turns[i - 1]!.inputTokens!);
    }
  });

  it('sends synthetic prompts of the asked input length, measured with the engine\'s own tokenizer', async () => {
    const e = engine('vllm');
    const { records, out } = await collect(['--engine', `vllm=${e.url}`, '--model', e.model, '--synthetic', 'medium', '--requests', '4']);
    for (const r of records) {
      // The chat template adds a few tokens around the 1 024 of text.
      expect(r.inputTokens!).toBeGreaterThan(1024 * 0.97);
      expect(r.inputTokens!).toBeLessThan(1024 * 1.1);
    }
    expect(out).not.toContain('approximate');
  });

  it('says prompt lengths are approximate for an engine without /tokenize', async () => {
    const e = engine('ollama');
    const { dir } = await collect(['--engine', `ollama=${e.url}`, '--model', e.model, '--synthetic', '200:20', '--requests', '2']);
    expect((await readRun(dir)).warnings.join(' ')).toContain('approximate');
  });

  it('prepends a shared prefix of about the asked length to every prompt', async () => {
    const e = engine('vllm');
    const plain = await collect(['--engine', `vllm=${e.url}`, '--model', e.model, '--prompt', 'Hello there', '--requests', '2']);
    const prefixed = await collect(['--engine', `vllm=${e.url}`, '--model', e.model, '--prompt', 'Hello there', '--shared-prefix', '300', '--requests', '2']);
    const grew = prefixed.records[0]!.inputTokens! - plain.records[0]!.inputTokens!;
    expect(grew).toBeGreaterThan(300 * 0.95);
    expect(grew).toBeLessThan(300 * 1.1);
  });

  it('compares streamed and whole answers phase by phase', async () => {
    const e = engine('vllm');
    const { dir, records } = await collect(['--engine', `vllm=${e.url}`, '--model', e.model, '--requests', '3', '--compare-streaming']);
    const run = await readRun(dir);
    expect(run.engines[0]!.phases.map((p) => p.name)).toEqual(['main-stream', 'main-whole']);
    const whole = records.filter((r) => r.phase === 'main-whole');
    for (const r of whole) {
      const m = requestMetrics(r);
      // A whole answer arrives at once: its first token is its last.
      expect(Math.abs(m.ttftMs! - m.e2eMs!)).toBeLessThan(5);
    }
    const streamed = records.filter((r) => r.phase === 'main-stream');
    expect(streamed.every((r) => r.events.filter((ev) => ev[1] === 'content').length > 1)).toBe(true);
  });

  it('rejects conversations under an open-loop load before sending anything', async () => {
    const io = captureIO(tmp);
    const e = engine('vllm');
    expect(await main(['collect', '--engine', `vllm=${e.url}`, '--model', e.model, '--conversations', 'all', '--rate', '5', '--out', tmp], io)).toBe(2);
    expect(io.err()).toContain('conversations need a closed-loop or sequential load');
  });
});
