import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import { RequestRecord, Run } from '../../../collector/store/schema/index.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

async function records(dir: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(dir)) out.push(record);
  return out;
}

describe('the golden fixture', () => {
  it('validates with the current run schema, through the reader and directly', async () => {
    const run = await readRun(GOLDEN);
    expect(run.schemaVersion).toBe(4);
    const raw: unknown = JSON.parse(await readFile(join(GOLDEN, 'run.json'), 'utf8'));
    expect(Run.safeParse(raw).success).toBe(true);
  });

  it('validates every raw line, and the reader yields each of them', async () => {
    const lines = gunzipSync(await readFile(join(GOLDEN, 'requests.ndjson.gz'))).toString('utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(RequestRecord.safeParse(JSON.parse(line)).error).toBeUndefined();
    expect(await records(GOLDEN)).toHaveLength(6);
  });

  it('has two engines, one simulated, each with one closed-loop phase of three requests', async () => {
    const run = await readRun(GOLDEN);
    expect(run.engines.map((e) => [e.kind, e.label, e.simulated])).toEqual([
      ['vllm', 'vllm-a', false],
      ['ollama', 'ollama-b', true],
    ]);
    for (const engine of run.engines) {
      expect(engine.phases.map((p) => p.name)).toEqual(['main']);
      expect(engine.phases[0]!.load).toEqual({ shape: 'closed-loop', concurrency: 2, requests: 3 });
    }
  });

  it('has summaries whose counts agree with the raw records', async () => {
    const run = await readRun(GOLDEN);
    const raw = await records(GOLDEN);
    const runErrors: Record<string, number> = {};
    for (const engine of run.engines) {
      const phase = engine.phases[0]!;
      const mine = raw.filter((r) => r.engine === engine.label && r.phase === phase.name);
      const ok = mine.filter((r) => r.status === 'ok');
      const errorsByKind: Record<string, number> = {};
      for (const r of mine) if (r.error) errorsByKind[r.error.kind] = (errorsByKind[r.error.kind] ?? 0) + 1;
      for (const [k, n] of Object.entries(errorsByKind)) runErrors[k] = (runErrors[k] ?? 0) + n;
      expect(phase.requests).toEqual({ total: 3, ok: ok.length, failed: mine.length - ok.length, dropped: 0, warmup: 0 });
      expect(phase.errorsByKind).toEqual({ http_429: 1 });
      expect(errorsByKind).toEqual(phase.errorsByKind);
      expect(phase.outputTokens).toBe(ok.reduce((s, r) => s + (r.outputTokens ?? 0), 0));
      expect(phase.inputTokens).toBe(ok.reduce((s, r) => s + (r.inputTokens ?? 0), 0));
      expect(phase.ttftMs.count).toBe(ok.length);
      expect(phase.e2eMs.count).toBe(ok.length);
      expect(phase.e2eMs.max).toBe(Math.max(...ok.map((r) => r.endMs!)));
      expect(phase.window.startMs).toBe(Math.min(...mine.map((r) => r.sentMs)));
    }
    expect(run.errorsByKind).toEqual(runErrors);
  });
});
