// Run format v2 → v3. v3 adds a `too_large` error kind, `eventsOmitted` and `newConnection` on a
// request (nothing for a v2 run to carry over), and records the client's event-loop lag without
// the sampling period: v2's `eventLoopDelayP99Ms` was measured with a 10 ms timer and included
// those 10 ms, so the lag it held is its value less 10 ms (an idle loop: 0).
import type { RunDocument } from './migrate.ts';

/** The sampling period every v2 collector used for its event-loop figure. */
const V2_LOOP_DELAY_RESOLUTION_MS = 10;

export function upgradeV2(doc: RunDocument): RunDocument {
  const engines = doc['engines'];
  if (!Array.isArray(engines)) return { ...doc };
  return { ...doc, engines: engines.map((engine) => withPhases(engine, (phase) => withClient(phase))) };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function withPhases(engine: unknown, upgrade: (phase: unknown) => unknown): unknown {
  if (!isObject(engine) || !Array.isArray(engine['phases'])) return engine;
  return { ...engine, phases: engine['phases'].map(upgrade) };
}

function withClient(phase: unknown): unknown {
  if (!isObject(phase) || !isObject(phase['client'])) return phase;
  const { eventLoopDelayP99Ms: delay, ...client } = phase['client'];
  // A value that is not a number is left for the reader to report, under its old name.
  if (delay === undefined || (delay !== null && typeof delay !== 'number')) return phase;
  const lag = delay === null ? null : Math.round(Math.max(0, delay - V2_LOOP_DELAY_RESOLUTION_MS) * 1000) / 1000;
  return { ...phase, client: { ...client, eventLoopLagP99Ms: lag } };
}
