// The collector's timing error against the simulator's ground truth, at 1, 64 and 512 concurrent
// streams, with the simulator in its own process. TGI's /generate_stream is used because it writes
// exactly one event per token, so the i-th recorded event pairs with the i-th write. Each level
// also runs a stamp-only client (stamp-floor.ts) on the same simulator, alternating with the
// collector, so the collector's error can be read against what this machine allows at that moment.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimProcess } from '../../collector/sim/child.ts';
import type { TraceEntry } from '../../collector/sim/types.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { collectOnce, quantiles } from './collect-once.ts';
import { stampFloor, type FloorRequest } from './stamp-floor.ts';

export type TimingClient = 'servebench collector' | 'stamp-only floor';

export interface TimingErrorRow {
  client: TimingClient;
  streams: number;
  /** Which repetition of the level this row is (1-based). */
  repetition: number;
  requests: number;
  events: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Median signed error: positive means the client saw chunks later than they were written. */
  biasMs: number;
  unpaired: number;
}

interface Measured {
  client: TimingClient;
  streams: number;
  repetition: number;
  /** Per request: its trace id and the epoch ms of each event as the client stamped it. */
  requests: { id: string; stampsMs: number[] }[];
}

const MAX_TOKENS = 64;
const requestsAt = (streams: number): number => (streams === 1 ? 30 : streams * 2);

async function collectorLevel(url: string, model: string, streams: number, tmp: string): Promise<Measured['requests']> {
  const { run, dir } = await collectOnce(
    {
      name: `timing-${streams}`,
      requests: requestsAt(streams),
      concurrency: streams,
      maxTokens: MAX_TOKENS,
      engines: [{ kind: 'tgi', url, model, label: 'tgi' }],
    },
    tmp,
  );
  const out: Measured['requests'] = [];
  for await (const record of readRequests(dir)) {
    const base = run.clockOriginEpochMs + record.sentMs;
    out.push({ id: `${run.id}-tgi-${record.phase}-${record.seq}`, stampsMs: record.events.map((event) => base + event[0]) });
  }
  return out;
}

export async function timingError(tmp: string, levels: number[], repetitions = 1): Promise<TimingErrorRow[]> {
  const tracePath = join(tmp, 'truth.ndjson');
  const sim = await startSimProcess(
    ['--engine', 'tgi:0', '--seed', '1', '--set', 'maxBatch=1024', '--set', 'maxQueue=100000', '--set', 'kvCapacityTokens=100000000', '--trace', tracePath],
    'inherit',
  );
  const engine = sim.engines[0]!;
  const measured: Measured[] = [];
  try {
    for (let repetition = 1; repetition <= repetitions; repetition++) {
      for (const streams of levels) {
        const floor = async (): Promise<void> => {
          const requests: FloorRequest[] = await stampFloor(engine.url, streams, requestsAt(streams), MAX_TOKENS, `floor-${repetition}-${streams}`);
          measured.push({ client: 'stamp-only floor', streams, repetition, requests });
        };
        const collector = async (): Promise<void> => {
          measured.push({ client: 'servebench collector', streams, repetition, requests: await collectorLevel(engine.url, engine.model, streams, tmp) });
        };
        // Alternate which goes first, so a machine that grows busier favours neither.
        const order = repetition % 2 === 1 ? [floor, collector] : [collector, floor];
        for (const step of order) await step();
      }
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
  return measured.map(({ client, streams, repetition, requests }) => {
    const abs: number[] = [];
    const signed: number[] = [];
    let unpaired = 0;
    for (const request of requests) {
      const entry = truth.get(request.id);
      if (!entry || entry.chunksAtMs.length !== request.stampsMs.length) {
        unpaired += 1;
        continue;
      }
      request.stampsMs.forEach((at, i) => {
        const error = at - entry.chunksAtMs[i]!;
        signed.push(error);
        abs.push(Math.abs(error));
      });
    }
    const q = quantiles(abs);
    return { client, streams, repetition, requests: requests.length, events: q.n, p50Ms: q.p50, p99Ms: q.p99, maxMs: q.max, biasMs: quantiles(signed).p50, unpaired };
  });
}
