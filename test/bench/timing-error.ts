// The collector's timing error against the simulator's ground truth, at 1, 64 and 512 concurrent
// streams, with the simulator in its own process. TGI's /generate_stream is used because it writes
// exactly one event per token, so the i-th recorded event pairs with the i-th write.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimProcess } from '../../collector/sim/child.ts';
import type { TraceEntry } from '../../collector/sim/types.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { collectOnce, quantiles } from './collect-once.ts';

export interface TimingErrorRow {
  streams: number;
  requests: number;
  events: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Median signed error: positive means the collector saw chunks later than they were written. */
  biasMs: number;
  unpaired: number;
}

export async function timingError(tmp: string, levels: number[]): Promise<TimingErrorRow[]> {
  const tracePath = join(tmp, 'truth.ndjson');
  const sim = await startSimProcess(
    ['--engine', 'tgi:0', '--seed', '1', '--set', 'maxBatch=1024', '--set', 'maxQueue=100000', '--set', 'kvCapacityTokens=100000000', '--trace', tracePath],
    'inherit',
  );
  const engine = sim.engines[0]!;
  const runs: { dir: string; origin: number; runId: string; streams: number }[] = [];
  try {
    for (const streams of levels) {
      const { run, dir } = await collectOnce(
        {
          name: `timing-${streams}`,
          requests: streams === 1 ? 30 : streams * 2,
          concurrency: streams,
          maxTokens: 64,
          engines: [{ kind: 'tgi', url: engine.url, model: engine.model, label: 'tgi' }],
        },
        tmp,
      );
      runs.push({ dir, origin: run.clockOriginEpochMs, runId: run.id, streams });
    }
  } finally {
    await sim.stop();
  }
  const truth = new Map<string, TraceEntry>();
  for (const line of (await readFile(tracePath, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as TraceEntry;
    truth.set(entry.requestId, entry);
  }
  const rows: TimingErrorRow[] = [];
  for (const { dir, origin, runId, streams } of runs) {
    const abs: number[] = [];
    const signed: number[] = [];
    let requests = 0;
    let unpaired = 0;
    for await (const record of readRequests(dir)) {
      requests += 1;
      const entry = truth.get(`${runId}-tgi-${record.phase}-${record.seq}`);
      if (!entry || entry.chunksAtMs.length !== record.events.length) {
        unpaired += 1;
        continue;
      }
      record.events.forEach((event, i) => {
        const error = origin + record.sentMs + event[0] - entry.chunksAtMs[i]!;
        signed.push(error);
        abs.push(Math.abs(error));
      });
    }
    const q = quantiles(abs);
    rows.push({ streams, requests, events: q.n, p50Ms: q.p50, p99Ms: q.p99, maxMs: q.max, biasMs: quantiles(signed).p50, unpaired });
  }
  return rows;
}
