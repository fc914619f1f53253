// More concurrent streams than file descriptors: the requests that cannot get a socket are
// recorded as connection_failed, the collector keeps descriptors for its own files, and exits 0.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimProcess, type SimProcess } from '../../collector/sim/child.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import { runChild } from '../support/run-child.ts';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));
const STREAMS = 2_000;

describe('servebench collect out of file descriptors', () => {
  let tmp: string;
  let sim: SimProcess;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-emfile-'));
    // Its own process, so the limit below applies to the collector alone.
    sim = await startSimProcess(['--engine', 'vllm:0:instant'], 'ignore');
  });
  afterAll(async () => {
    await sim.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it(`records all ${STREAMS} concurrent streams under ulimit -n 1024 and exits 0`, async () => {
    const engine = sim.engines[0]!;
    const args = ['collect', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', String(STREAMS), '--concurrency', String(STREAMS)];
    args.push('--max-tokens', '4', '--out', join(tmp, 'runs'), '--quiet', '--json');
    const { code, out, err } = await runChild('bash', ['-c', 'ulimit -n 1024 && exec "$@"', 'bash', process.execPath, CLI, ...args]);
    expect(code, err).toBe(0);
    const { runDir } = JSON.parse(out.trim().split('\n').at(-1)!) as { runDir: string };
    const run = await readRun(runDir);
    expect(run.engines[0]!.phases[0]!.requests.total).toBe(STREAMS);
    const kinds = new Map<string, number>();
    const messages = new Set<string>();
    for await (const record of readRequests(runDir)) {
      const kind = record.error?.kind ?? 'ok';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (record.error) messages.add(record.error.message);
    }
    // Every request is on disk, answered or failed as data. A simulator slowed by a busy machine can
    // also overflow its listen backlog and reset a few connections: recorded as such, not lost.
    expect(kinds.get('connection_failed')).toBeGreaterThan(0);
    expect(kinds.get('ok')).toBeGreaterThan(0);
    expect([...kinds.keys()].filter((k) => !['ok', 'connection_failed', 'connection_reset'].includes(k))).toEqual([]);
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(STREAMS);
    expect([...messages].join('\n')).toMatch(/no file descriptor left for another connection: \d+ sockets are open, the open-file limit \(ulimit -n\) is 1024/);
  }, 120_000);
});
