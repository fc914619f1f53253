// Engine numbers are untrusted input: a count no answer can have, a fractional context length or an
// infinite gauge is left out with a warning, and the run completes, readable, with exit 0.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';
import { chunk, sse, startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

describe('engine numbers a run cannot hold', () => {
  let tmp: string;
  let server: ScriptedServer;
  let n = 0;
  // Each answer states a different impossible usage; the stream itself has three tokens.
  const usages = [
    { prompt_tokens: 3.5, completion_tokens: -3 },
    { prompt_tokens: -1, completion_tokens: 2.25 },
    { prompt_tokens: 1e300 * 10, completion_tokens: 3 },
  ];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-numbers-'));
    server = await startScriptedServer({
      '/health': (_req, res) => res.end('{}'),
      '/v1/models': (_req, res) => res.end(JSON.stringify({ data: [{ id: 'm', max_model_len: 4096.5 }] })),
      '/metrics': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(
          '# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running +Inf\n' +
            '# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 2\n' +
            '# TYPE vllm:kv_cache_usage_perc gauge\nvllm:kv_cache_usage_perc NaN\n' +
            '# TYPE vllm:generation_tokens_total counter\nvllm:generation_tokens_total +Inf\n',
        );
      },
      '/v1/chat/completions': (_req, res) => {
        const usage = usages[n++ % usages.length];
        sse(res, [
          chunk('a'),
          chunk('b'),
          chunk('c'),
          JSON.stringify({ id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'length' }], timings: { predicted_ms: 12.5 } }),
          JSON.stringify({ id: 'x', choices: [], usage }),
          '[DONE]',
        ]);
        res.end();
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('completes with exit 0 and a valid run that says what it left out', async () => {
    const io = captureIO(tmp);
    const code = await main(
      ['collect', '--engine', `vllm=${server.url}`, '--model', 'm', '--requests', '3', '--max-tokens', '3', '--out', join(tmp, 'runs'), '--scrape-interval', '0.05', '--progress', 'quiet'],
      io,
    );
    expect(code, io.err()).toBe(0);
    const [id] = await readdir(join(tmp, 'runs'));
    const dir = join(tmp, 'runs', id!);
    const run = await readRun(dir);
    expect(run.status).toBe('completed');
    const engine = run.engines[0]!;
    expect(engine.info.maxModelTokens).toBeNull();
    expect(engine.info.problems.join('\n')).toMatch(/maximum context of 4096\.5 tokens/);
    const phase = engine.phases[0]!;
    expect(phase.requests).toMatchObject({ total: 3, ok: 3, failed: 0 });
    // The running gauge (+Inf) and the cache gauge (NaN) are left out; waiting is kept.
    expect(phase.server?.series.map((s) => s.name)).toEqual(['waiting']);
    expect(phase.server?.deltas).not.toHaveProperty('vllm:generation_tokens_total');
    const records: RequestRecord[] = [];
    for await (const r of readRequests(dir)) records.push(r);
    // The first two answers' counts are impossible: the stream's three content events are used.
    expect(records.map((r) => [r.outputTokens, r.outputTokensSource, r.inputTokens])).toEqual([
      [3, 'content-events', null],
      [3, 'content-events', null],
      [3, 'usage', null],
    ]);
    const warnings = run.warnings.join('\n');
    expect(warnings).toMatch(/vllm: 2 answers carried a number no answer can have, left out of the run \(first: usage stated completion tokens = -3, which is not a whole number >= 0: the stream's own count is used instead\)/);
    expect(warnings).toMatch(/vllm: 3 answers .*prompt tokens = 3\.5.*input tokens are not recorded/);
    expect(warnings).toMatch(/vllm:num_requests_running reported a value no metric can have/);
    expect(warnings).toMatch(/vllm:generation_tokens_total reported/);
    expect(io.out()).toContain('warning: vllm');
  });
});
