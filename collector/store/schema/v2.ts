// Run format v2: run.json, and the raw request records (whose line format is unchanged since v1).
// Frozen once published: a v3 goes beside this file and store/migrate.ts upgrades v2 → v3.
//
// v1 was the first format. Its run.json had no clockOriginEpochMs, and the field was then added
// as required without a new version, so files the first run store wrote stopped reading. v2 names
// that change: store/upgrade-v1.ts fills the field in from startedAt and says so in the run's
// warnings. The v1 shape is not kept as a schema: upgrade steps do not validate, the reader
// validates once against this file after the last step.
import { z } from 'zod';

const ms = z.number().finite();
const count = z.number().int().nonnegative();

/** A distribution summary. Every statistic is null when count is 0. */
export const Distribution = z.object({
  count,
  mean: ms.nullable(),
  min: ms.nullable(),
  p50: ms.nullable(),
  p90: ms.nullable(),
  p95: ms.nullable(),
  p99: ms.nullable(),
  max: ms.nullable(),
  stdev: ms.nullable(),
});

export const RunStatus = z.enum(['completed', 'failed', 'aborted', 'partial']);

export const ErrorKind = z.enum([
  'connection_refused',
  'connection_reset',
  'connection_failed',
  'http_error',
  'http_429',
  'timeout_ttft',
  'timeout_idle',
  'timeout_total',
  'stream_cut',
  'engine_error',
  'malformed_chunk',
  'empty_response',
  'cancelled',
]);

export const OutputTokensSource = z.enum(['usage', 'token-events', 'content-events']);

/** One stream event as recorded: [offset from send in ms, kind, tokens carried or null, text chars]. */
export const RecordedEvent = z.tuple([
  ms,
  z.enum(['role', 'content', 'reasoning', 'tool-call', 'finish', 'usage', 'error', 'done', 'other']),
  count.nullable(),
  count,
]);

/** One request, raw: the line format of requests.ndjson(.gz). Derived numbers are not stored here. */
export const RequestRecord = z.object({
  seq: count,
  engine: z.string(),
  phase: z.string(),
  warmup: z.boolean(),
  promptId: z.string(),
  /** Offsets in ms from the run's monotonic origin. */
  scheduledMs: ms,
  sentMs: ms,
  /** Offsets in ms from sentMs. */
  headersMs: ms.nullable(),
  endMs: ms.nullable(),
  httpStatus: z.number().int().nullable(),
  status: z.enum(['ok', 'error']),
  error: z
    .object({
      kind: ErrorKind,
      message: z.string(),
      classification: z.string().nullable(),
      httpStatus: z.number().int().nullable(),
    })
    .nullable(),
  finishReason: z.string().nullable(),
  /** True when the answer ended before maxTokens although a fixed length was asked for. */
  stoppedEarly: z.boolean().nullable(),
  inputTokens: count.nullable(),
  outputTokens: count.nullable(),
  outputTokensSource: OutputTokensSource.nullable(),
  events: z.array(RecordedEvent),
  /** Engine-native timings (Ollama ns durations, llama.cpp timings) exactly as reported. */
  native: z.record(z.string(), z.number()).nullable(),
  /** The answer text (untrusted engine output), cut at textLimit characters. */
  text: z.string(),
  textTruncated: z.boolean(),
});

/** One engine gauge over a phase, sampled by scraping: points are [offset from run origin in ms, value]. */
export const ServerSeries = z.object({
  /** Canonical name across engines: running, waiting, kvCacheUsage (0..1), batchSize, loadedModels. */
  name: z.string(),
  /** The engine's own metric name it came from. */
  metric: z.string(),
  points: z.array(z.tuple([ms, z.number()])),
});

/** A server-side latency distribution derived from histogram bucket deltas over the phase (ms). */
export const ServerQuantiles = z.object({
  /** ttft, itl, e2e, queue, prefill, decode, inference. */
  name: z.string(),
  metric: z.string(),
  count,
  p50: ms.nullable(),
  p90: ms.nullable(),
  p99: ms.nullable(),
});

/** What the engine itself reported while the phase ran. Scrape failures are counted, never fatal. */
export const ServerPhaseMetrics = z.object({
  source: z.enum(['prometheus', 'ollama-ps']),
  intervalMs: z.number().positive(),
  scrapes: count,
  failures: count,
  lastError: z.string().nullable(),
  series: z.array(ServerSeries),
  /** Counter increases over the phase, by the engine's metric name (label sets joined in braces). */
  deltas: z.record(z.string(), z.number()),
  quantiles: z.array(ServerQuantiles),
});

/** The collector's own use of its host while the phase ran, to tell a client bottleneck. */
export const ClientUsage = z.object({
  /** CPU of the collector process, percent of one core, sampled per interval. */
  cpuPercent: Distribution,
  rssMaxBytes: count,
  /** Event-loop delay p99 in ms: how late the collector could have been in stamping. */
  eventLoopDelayP99Ms: ms.nullable(),
});

export const PhaseSummary = z.object({
  name: z.string(),
  /** The load shape and its parameters as resolved. */
  load: z.looseObject({ shape: z.string() }),
  window: z.object({ startMs: ms, endMs: ms, durationS: z.number().nonnegative() }),
  requests: z.object({ total: count, ok: count, failed: count, dropped: count, warmup: count }),
  errorsByKind: z.record(z.string(), count),
  ttftMs: Distribution,
  tpotMs: Distribution,
  itlMs: Distribution,
  e2eMs: Distribution,
  /** Output tokens per second per request, decode phase (N-1)/(last-first content). */
  requestOutputTokensPerS: Distribution,
  inputTokens: count,
  outputTokens: count,
  outputTokensSource: z.record(z.string(), count),
  stoppedEarly: count,
  requestsPerS: z.number().nonnegative(),
  outputTokensPerS: z.number().nonnegative(),
  /** Actual minus scheduled send time: large values mean the client could not keep up (coordinated omission). */
  sendLagMs: Distribution.optional(),
  server: ServerPhaseMetrics.nullable().optional(),
  client: ClientUsage.nullable().optional(),
});

export const EngineRun = z.object({
  label: z.string().min(1),
  kind: z.string(),
  api: z.string(),
  /** Credentials and query strings stripped. */
  url: z.string(),
  model: z.string(),
  simulated: z.boolean(),
  info: z.object({
    version: z.string().nullable(),
    model: z.string().nullable(),
    modelRevision: z.string().nullable(),
    maxModelTokens: z.number().int().nullable(),
    raw: z.record(z.string(), z.unknown()),
    problems: z.array(z.string()),
  }),
  /** Names of extra request headers sent (values are never stored). */
  headerNames: z.array(z.string()),
  /** Identity used to decide whether two runs are comparable. */
  identity: z.string(),
  phases: z.array(PhaseSummary),
});

export const Definitions = z.object({
  version: z.literal(1),
  clock: z.string(),
  percentiles: z.string(),
  ttft: z.string(),
  e2e: z.string(),
  outputTokens: z.string(),
  tpot: z.string(),
  itl: z.string(),
  throughput: z.string(),
  success: z.string(),
});

export const Host = z.object({
  hostname: z.string(),
  os: z.string(),
  release: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cpuCount: count,
  memoryBytes: count,
  node: z.string(),
});

export const RunV2 = z.object({
  schemaVersion: z.literal(2),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a URL-safe run id (lowercase letters, digits, dashes)'),
  name: z.string(),
  status: RunStatus,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /**
   * The monotonic origin of every request offset, as epoch ms with sub-ms precision
   * (performance.timeOrigin + performance.now()), to line requests up with server-side clocks.
   */
  clockOriginEpochMs: z.number().positive(),
  tool: z.object({ name: z.literal('servebench'), version: z.string(), gitSha: z.string().nullable() }),
  host: Host,
  /** The fully resolved scenario (secrets never included). */
  scenario: z.looseObject({ seed: z.number().int() }),
  scenarioHash: z.string(),
  definitions: Definitions,
  engines: z.array(EngineRun).min(1),
  /** Failures counted by kind over the whole run, so a failed run says why. */
  errorsByKind: z.record(z.string(), count),
  warnings: z.array(z.string()),
  rawFile: z.string(),
});

export type RunV2 = z.infer<typeof RunV2>;
export type RequestRecord = z.infer<typeof RequestRecord>;
export type PhaseSummary = z.infer<typeof PhaseSummary>;
export type EngineRun = z.infer<typeof EngineRun>;
export type Distribution = z.infer<typeof Distribution>;
export type ErrorKind = z.infer<typeof ErrorKind>;
export type RecordedEvent = z.infer<typeof RecordedEvent>;
export type ServerPhaseMetrics = z.infer<typeof ServerPhaseMetrics>;
export type ClientUsage = z.infer<typeof ClientUsage>;
export type Definitions = z.infer<typeof Definitions>;
