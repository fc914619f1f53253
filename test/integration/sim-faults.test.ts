// Each simulator fault produces exactly the error kind the collector records for it, on every engine kind.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import type { FaultConfig } from '../../collector/sim/faults.ts';
import { startSimulation } from '../../collector/sim/start.ts';
import { SIM_KINDS } from '../../collector/sim/types.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';

/** fault settings → the one error kind every request must end with. */
const CASES: [string, FaultConfig, string, string[]][] = [
  ['http500', { http500: 1 }, 'http_error', []],
  ['http503', { http503: 1 }, 'http_error', []],
  ['reset', { reset: 1 }, 'connection_reset', []],
  ['cut', { cut: 1 }, 'stream_cut', []],
  ['stall', { stall: 1, stallS: 1.5 }, 'timeout_idle', ['--idle-timeout', '0.5']],
  ['malformed', { malformed: 1 }, 'malformed_chunk', []],
  ['errorEvent', { errorEvent: 1 }, 'engine_error', []],
  ['slowHeaders', { slowHeaders: 1, slowHeadersMs: 1500 }, 'timeout_ttft', ['--ttft-timeout', '0.5']],
];

const FAST = { decodeStepBaseMs: 1, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };

describe('simulator faults become the matching error kinds', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-faults-'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  for (const kind of SIM_KINDS) {
    for (const [name, faults, expected, extra] of CASES) {
      it(`${kind}: ${name} is recorded as ${expected}`, async () => {
        const sim = await startSimulation([{ kind, port: 0, profile: kind, label: kind }], { seed: 1, overrides: FAST, faults: { '*': faults } });
        try {
          const engine = sim.engines[0]!;
          const io = captureIO(tmp);
          const code = await main(
            ['collect', '--engine', `${kind}=${engine.url}`, '--model', engine.model, '--requests', '2', '--max-tokens', '16', '--out', join(tmp, `${kind}-${name}`), '--json', ...extra],
            io,
          );
          expect(io.err()).not.toContain('internal error');
          expect(code).toBe(0);
          const dir = (JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string }).runDir;
          const records: RequestRecord[] = [];
          for await (const r of readRequests(dir)) records.push(r);
          expect(records.map((r) => r.error?.kind)).toEqual([expected, expected]);
          const run = await readRun(dir);
          expect(run.status).toBe('failed');
          expect(run.errorsByKind).toEqual({ [expected]: 2 });
        } finally {
          await sim.close();
        }
      });
    }
  }

  it('answers 429 with Retry-After once the queue is deeper than the limit', async () => {
    const sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], {
      seed: 1,
      overrides: { ...FAST, maxBatch: 1, decodeStepBaseMs: 5 },
      faults: { '*': { rateLimitQueueOver: 1 } },
    });
    try {
      const engine = sim.engines[0]!;
      const io = captureIO(tmp);
      expect(await main(['collect', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', '12', '--concurrency', '6', '--max-tokens', '16', '--out', join(tmp, '429'), '--json'], io)).toBe(0);
      const run = await readRun((JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string }).runDir);
      expect(run.errorsByKind.http_429).toBeGreaterThan(0);
      expect(run.engines[0]!.phases[0]!.requests.ok).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});
