// Ground truth: the simulator appends one NDJSON line per generation request, with the epoch time
// of every write it handed to the socket, so benchmarks can measure the collector's timing error.
import { createWriteStream } from 'node:fs';
import type { TraceEntry, TraceSink } from './types.ts';

export function createTraceFile(path: string): TraceSink {
  const stream = createWriteStream(path, { flags: 'a' });
  return {
    record(entry: TraceEntry) {
      stream.write(`${JSON.stringify(entry)}\n`);
    },
    close: () => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
  };
}

/** Keeps entries in memory, for tests and in-process benchmarks. */
export function createTraceMemory(): TraceSink & { entries: TraceEntry[] } {
  const entries: TraceEntry[] = [];
  return { entries, record: (entry) => void entries.push(entry), close: async () => undefined };
}
