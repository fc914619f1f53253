// Replays each engine's transcript from a loopback server with known delays and checks that the
// collector's TTFT, TPOT, ITL and E2E land within a few milliseconds of the schedule.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { findEngine } from '../../collector/engines/index.ts';
import { requestMetrics } from '../../collector/metrics/request-metrics.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';
import { PROTOCOLS_DIR, splitTranscript, startReplayServer, type ReplayRoute } from '../support/replay-server.ts';

const FIRST_MS = 60;
const GAP_MS = 15;
/** Allowed |measured - scheduled|, in ms: loopback, same process, a shared 2-core machine. */
const TOLERANCE_MS = 6;

interface Case {
  kind: string;
  api: string;
  path: string;
  transcript: string;
  contentType: string;
}

const CASES: Case[] = [
  { kind: 'vllm', api: 'chat', path: '/v1/chat/completions', transcript: 'vllm-chat-stream.sse', contentType: 'text/event-stream; charset=utf-8' },
  { kind: 'tgi', api: 'generate', path: '/generate_stream', transcript: 'tgi-generate-stream.sse', contentType: 'text/event-stream' },
  { kind: 'tgi', api: 'messages', path: '/v1/chat/completions', transcript: 'tgi-chat-stream.sse', contentType: 'text/event-stream' },
  { kind: 'ollama', api: 'chat', path: '/api/chat', transcript: 'ollama-chat-stream.ndjson', contentType: 'application/x-ndjson' },
  { kind: 'llamacpp', api: 'chat', path: '/v1/chat/completions', transcript: 'llamacpp-chat-stream.sse', contentType: 'text/event-stream' },
  { kind: 'openai', api: 'chat', path: '/v1/chat/completions', transcript: 'vllm-chat-stream.sse', contentType: 'text/event-stream' },
];

/** Scheduled arrival offsets of the transcript's text-bearing events and of its end. */
function schedule(c: Case): { text: number[]; end: number } {
  const adapter = findEngine(c.kind)!;
  const units = splitTranscript(readFileSync(join(PROTOCOLS_DIR, c.transcript), 'utf8'));
  const text: number[] = [];
  let end = FIRST_MS + (units.length - 1) * GAP_MS;
  let terminalSeen = false;
  const decoder = adapter.createDecoder(c.api, true);
  units.forEach((unit, i) => {
    for (const event of decoder.feed(unit)) {
      const hasText = (event.text ?? event.reasoning ?? event.toolCall ?? '').length > 0;
      if (hasText) text.push(FIRST_MS + i * GAP_MS);
      if (event.terminal && !terminalSeen) {
        terminalSeen = true;
        end = FIRST_MS + i * GAP_MS;
      }
    }
  });
  return { text, end };
}

describe('collector timing against replayed transcripts', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-replay-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`measures ${c.kind} (${c.api}) TTFT, TPOT, ITL and E2E within ${TOLERANCE_MS} ms of the schedule`, async () => {
      const route: ReplayRoute = { transcript: c.transcript, contentType: c.contentType, firstDelayMs: FIRST_MS, gapMs: GAP_MS };
      const server = await startReplayServer({ [c.path]: route });
      try {
        const io = captureIO(tmp);
        const code = await main(
          ['collect', '--engine', `${c.kind}:${c.api}=${server.url}`, '--model', 'test-model', '--requests', '3', '--concurrency', '1', '--out', tmp, '--name', `replay ${c.kind}`, '--json'],
          io,
        );
        expect(io.err()).not.toContain('internal error');
        expect(code).toBe(0);
        const summary = JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string; status: string };
        expect(summary.status).toBe('completed');
        const run = await readRun(summary.runDir);
        const records: RequestRecord[] = [];
        for await (const record of readRequests(summary.runDir)) records.push(record);
        expect(records).toHaveLength(3);
        expect(run.engines[0]!.phases[0]!.requests).toMatchObject({ total: 3, ok: 3, failed: 0 });

        const expected = schedule(c);
        const n = records[0]!.outputTokens!;
        const expectedTpot = (expected.text.at(-1)! - expected.text[0]!) / (n - 1);
        for (const [i, record] of records.entries()) {
          expect(record.status).toBe('ok');
          const served = server.served[i]!;
          // Offsets are from our send; the schedule is from the server's arrival, a fraction of a ms later.
          const metrics = requestMetrics(record);
          expect(Math.abs(metrics.ttftMs! - expected.text[0]!)).toBeLessThan(TOLERANCE_MS);
          expect(Math.abs(metrics.e2eMs! - expected.end)).toBeLessThan(TOLERANCE_MS);
          expect(Math.abs(metrics.tpotMs! - expectedTpot)).toBeLessThan(1);
          expect(metrics.itlMs).toHaveLength(expected.text.length - 1);
          for (const [j, gap] of metrics.itlMs.entries()) {
            expect(Math.abs(gap - (expected.text[j + 1]! - expected.text[j]!))).toBeLessThan(TOLERANCE_MS);
          }
          expect(served.writtenAt.length).toBeGreaterThan(0);
        }
      } finally {
        await server.close();
      }
    });
  }
});
