// Run format v3: v2 plus what a hostile engine taught us. Frozen once published: a v4 goes
// beside this file and store/migrate.ts upgrades v3 → v4.
//
// What changed from v2 (upgrade-v2.ts carries a v2 document over):
// - a request can fail with `too_large`: the engine sent more than servebench keeps (a line, a
//   body or a response over its cap), and the request was cut off there;
// - a request whose answer had more events than servebench keeps per request records the rest in
//   aggregate (`eventsOmitted`), so counts and the last arrival survive without unbounded memory;
// - a request says whether it opened a new connection (`newConnection`), and a phase summary how
//   many did (`newConnections`) and the TTFT of those that did not (`ttftReusedMs`);
// - the client's event-loop figure is the lag alone (`eventLoopLagP99Ms`), without the sampling
//   period v2's `eventLoopDelayP99Ms` included.
// A v2 reader rejects both, which is why they are a new version rather than an edit of v2.
import { z } from 'zod';
import * as v2 from './v2.ts';

export const ErrorKind = z.enum([...v2.ErrorKind.options, 'too_large']);

const count = z.number().int().nonnegative();
const ms = z.number().finite();

/** Events past the per-request cap, kept as totals: how many, of which text-bearing, and when the last arrived. */
export const EventsOmitted = z.object({
  count,
  textEvents: count,
  /** Tokens the omitted events stated (TGI token events), 0 when the wire states none. */
  tokens: count,
  textChars: count,
  /** Arrival of the first and last omitted event, ms from send. */
  firstMs: ms,
  lastMs: ms,
  /** Arrival of the last omitted text-bearing event, ms from send: where decoding ended (TPOT). */
  lastTextMs: ms.nullable(),
});

export const RequestRecord = v2.RequestRecord.extend({
  error: v2.RequestRecord.shape.error.unwrap().extend({ kind: ErrorKind }).nullable(),
  /** Absent or null when every event is in `events`. */
  eventsOmitted: EventsOmitted.nullable().optional(),
  /**
   * True when this request opened a new connection (its TTFT includes the TCP and TLS handshake),
   * false when it reused one; absent or null when not known (runs before v3).
   */
  newConnection: z.boolean().nullable().optional(),
});

/**
 * The collector's own use of its host. v2's `eventLoopDelayP99Ms` included the sampling timer's
 * 10 ms period (an idle loop read 10 ms); v3 records the lag alone, under a new name.
 */
export const ClientUsage = v2.ClientUsage.omit({ eventLoopDelayP99Ms: true }).extend({
  /** Event-loop lag p99 in ms: how late the collector could have been in stamping a chunk. */
  eventLoopLagP99Ms: ms.nullable(),
});

export const PhaseSummary = v2.PhaseSummary.extend({
  client: ClientUsage.nullable().optional(),
  /** Measured requests that opened a new connection; absent when no record says (runs before v3). */
  newConnections: count.optional(),
  /**
   * TTFT of the successful measured requests that reused a connection: present only when some
   * TTFTs include a handshake and some do not, so the two can be told apart.
   */
  ttftReusedMs: v2.Distribution.optional(),
});

export const EngineRun = v2.EngineRun.extend({ phases: z.array(PhaseSummary) });

export const RunV3 = v2.RunV2.extend({ schemaVersion: z.literal(3), engines: z.array(EngineRun).min(1) });

export {
  Definitions,
  Distribution,
  Host,
  OutputTokensSource,
  RecordedEvent,
  RunStatus,
  ServerPhaseMetrics,
} from './v2.ts';

export type RunV3 = z.infer<typeof RunV3>;
export type ClientUsage = z.infer<typeof ClientUsage>;
export type PhaseSummary = z.infer<typeof PhaseSummary>;
export type EngineRun = z.infer<typeof EngineRun>;
export type RequestRecord = z.infer<typeof RequestRecord>;
export type ErrorKind = z.infer<typeof ErrorKind>;
export type EventsOmitted = z.infer<typeof EventsOmitted>;
