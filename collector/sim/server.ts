// One simulated engine on a local port: it speaks vLLM's, TGI's, Ollama's or llama.cpp's HTTP API
// (routes in protocols/routes.ts, bytes from protocols/*), plans each answer's text up front, runs
// the generation through the shared latency model (the Scheduler) and writes each token's chunk
// when the scheduler produces it. Faults are applied where a real engine or network would fail,
// and every generation request leaves one ground-truth TraceEntry with the epoch time of each
// socket write, so a benchmark's own timestamps can be checked against it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { seedFromText } from './model/rng.ts';
import { createAnswerWriter, type AnswerTimes } from './protocols/answer-writers.ts';
import {
  badJson,
  faultReply,
  generationFailed,
  llamacppError,
  methodNotAllowed,
  overloaded,
  routeNotFound,
  TGI_OVERLOADED,
  tgiStreamErrorWrites,
  type Reply,
} from './protocols/errors.ts';
import { cutInHalf, SSE_KEEPALIVE } from './protocols/framing.ts';
import { infoReply, type InfoContext } from './protocols/info.ts';
import { ollamaLoadAnswer, rfc3339Nano } from './protocols/ollama.ts';
import { parseGeneration, type Json, type ServedModel } from './protocols/requests.ts';
import { findRoute, type Route } from './protocols/routes.ts';
import { tokenizeReply } from './protocols/tokenize.ts';
import { planAnswer } from './text/plan-answer.ts';
import type { Clock, FaultInjector, LatencyProfile, RequestFaults, Scheduler, SimJob, SimKind, TraceSink } from './types.ts';

export interface SimEngineOptions {
  kind: SimKind;
  /** 0 = any free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The served model name, as this engine would name it. */
  model: string;
  /** Seeds the answers of requests that bring no seed of their own. */
  seed: number;
  scheduler: Scheduler;
  profile: LatencyProfile;
  clock: Clock;
  /** The engine's /metrics exporter; null or absent: no /metrics (Ollama never has one). */
  metrics?: { render(): Promise<string>; contentType: string } | null;
  faults?: FaultInjector;
  trace?: TraceSink;
  /** Engine name in traces (default: kind). */
  label?: string;
  /**
   * Context window per request, tokens. Default: 8192 for vLLM and TGI; for Ollama and llama.cpp
   * the profile's KV cache shared by its slots (num_ctx / n_ctx per slot), at most 131072.
   */
  contextTokens?: number;
}

export interface SimEngine {
  kind: SimKind;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Trace outcomes: ok, ok-stalled (finished after an injected stall), http-<status> (any HTTP error
 * answer: validation, overload, injected), stream-error (TGI's HTTP 200 + error event), reset, cut,
 * malformed, error-event, load (Ollama load-only request), client-disconnect, server-closed.
 */
export type TraceOutcome = string;

const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** axum's KeepAlive::default(): a `:` comment after 15 s without an event (TGI streams only). */
const TGI_KEEPALIVE_MS = 15_000;
const DEFAULT_CONTEXT_TOKENS = 8192;
const MAX_SLOT_CONTEXT = 131_072;

function contextTokensFor(kind: SimKind, profile: LatencyProfile, override?: number): number {
  if (override !== undefined) return override;
  if (kind !== 'ollama' && kind !== 'llamacpp') return DEFAULT_CONTEXT_TOKENS;
  const perSlot = Math.floor(profile.kvCapacityTokens / Math.max(1, profile.maxBatch));
  return Math.max(512, Math.min(MAX_SLOT_CONTEXT, perSlot));
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomAlnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');

function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && v !== '' ? v : undefined;
}

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** An answer with a fixed body; content-length set as the engines' frameworks do. */
function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(reply.body)), ...reply.headers };
  if (reply.contentType !== null) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export async function startSimEngine(options: SimEngineOptions): Promise<SimEngine> {
  const { kind, scheduler, clock, profile } = options;
  const label = options.label ?? kind;
  const host = options.host ?? '127.0.0.1';
  const served: ServedModel = { model: options.model, contextTokens: contextTokensFor(kind, profile, options.contextTokens) };
  /** Epoch ms of a clock reading (µs precision). */
  const epoch = (ms: number = clock.now()) => performance.timeOrigin + ms;
  const startedAtMs = epoch();
  /** Generations in flight, so close() can end them. */
  const active = new Set<{ abort(): void }>();
  let requests = 0;

  const infoContext = (): InfoContext => ({
    model: options.model,
    contextTokens: served.contextTokens,
    maxBatch: profile.maxBatch,
    maxConcurrent: profile.maxQueue ?? 128,
    startedAtMs,
    nowMs: epoch(),
  });

  async function handle(req: IncomingMessage, res: ServerResponse, arrivedMs: number): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(req);
    const lookup = findRoute(kind, req.method ?? 'GET', path);
    if ('missing' in lookup) {
      send(res, lookup.missing === 'path' ? routeNotFound(kind) : methodNotAllowed(kind));
      return;
    }
    const route = lookup.found;
    switch (route.type) {
      case 'info': {
        const parsed = parseObject(body);
        if (req.method === 'POST' && parsed === undefined) return send(res, badJson(kind, body));
        return send(res, infoReply(route.name, infoContext(), parsed));
      }
      case 'tokenize': {
        const parsed = parseObject(body);
        return send(res, parsed === undefined ? badJson(kind, body) : tokenizeReply(kind, parsed, served));
      }
      case 'metrics':
        return serveMetrics(res);
      case 'generate':
        return generate(req, res, route, path, body, arrivedMs);
    }
  }

  async function serveMetrics(res: ServerResponse): Promise<void> {
    if (!options.metrics) {
      const reply =
        kind === 'llamacpp'
          ? llamacppError(501, 'not_supported_error', 'This server does not support metrics endpoint. Start it with `--metrics`')
          : routeNotFound(kind);
      return send(res, reply);
    }
    const text = await options.metrics.render();
    const headers: Record<string, string> = kind === 'llamacpp' ? { 'process-start-time-unix': String(Math.floor(startedAtMs / 1000)) } : {};
    send(res, { status: 200, contentType: options.metrics.contentType, body: text, headers });
  }

  /**
   * One generation request, start to end: parse and validate, plan the answer, apply pre-header
   * faults, run the job through the scheduler and write what each token is due, then record it.
   */
  async function generate(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { type: 'generate' }>, path: string, body: string, arrivedMs: number): Promise<void> {
    requests += 1;
    const seq = requests;
    const clientRequestId = headerValue(req.headers['x-request-id']);
    const requestId = clientRequestId ?? `${label}-${seq}`;
    let settled = false;
    let headersAtMs: number | null = null;
    const chunksAtMs: number[] = [];
    const timers = new Set<{ cancel(): void }>();
    let jobId: string | null = null;
    /** The job is in the scheduler and will not finish on its own before we stop caring. */
    let jobLive = false;
    let keepAlive: { cancel(): void } | null = null;
    let keepAliveOn = false;

    function later(ms: number, fn: () => void): { cancel(): void } {
      const handle = clock.setTimer(() => {
        timers.delete(handle);
        fn();
      }, ms);
      timers.add(handle);
      return handle;
    }

    /** Ends the request's bookkeeping once: cancels what is pending and records the trace. */
    function finish(outcome: TraceOutcome): void {
      if (settled) return;
      settled = true;
      for (const timer of timers) timer.cancel();
      timers.clear();
      active.delete(entry);
      if (jobLive && jobId !== null) {
        jobLive = false;
        try {
          scheduler.cancel(jobId);
        } catch {
          // The scheduler rethrows other callbacks' errors here; this request is over either way.
        }
      }
      options.trace?.record({ requestId, engine: label, path, arrivedAtMs: epoch(arrivedMs), headersAtMs, chunksAtMs, outcome });
    }

    const entry = {
      abort() {
        finish('server-closed');
        res.destroy();
      },
    };
    active.add(entry);
    res.on('close', () => {
      if (!settled) finish('client-disconnect');
    });

    function write(data: string): void {
      if (res.destroyed || res.writableEnded) return;
      res.write(data);
      // Node corks the socket in write() and would flush on nextTick, after every other chunk of this
      // engine step was formatted: one burst, unlike a real server, which sends each chunk as it is
      // made. Flushing now sends it as an engine would, and makes this stamp its true send time.
      res.socket?.uncork();
      chunksAtMs.push(epoch());
      armKeepAlive();
    }

    function armKeepAlive(): void {
      if (!keepAliveOn) return;
      if (keepAlive) {
        keepAlive.cancel();
        timers.delete(keepAlive);
      }
      keepAlive = later(TGI_KEEPALIVE_MS, () => write(SSE_KEEPALIVE));
    }

    function reply(r: Reply, outcome: TraceOutcome): void {
      if (settled) return;
      const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(r.body)), ...r.headers };
      if (r.contentType !== null) headers['content-type'] = r.contentType;
      res.writeHead(r.status, headers);
      headersAtMs = epoch();
      if (r.body !== '') write(r.body);
      res.end();
      finish(outcome);
    }

    /** HTTP 200 and a stream that only says why it failed (TGI validates streams inside the stream). */
    function streamRefusal(writes: string[], outcome: TraceOutcome): void {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      headersAtMs = epoch();
      for (const w of writes) write(w);
      res.end();
      finish(outcome);
    }

    const parsed = parseObject(body);
    if (parsed === undefined) return reply(badJson(kind, body), 'http-400');
    const tgiStream = route.stream ?? parsed['stream'] === true;
    const result = parseGeneration(kind, route.api, parsed, served, tgiStream);
    if (!result.ok) {
      const refusal = result.refusal;
      if (refusal.kind === 'stream') return streamRefusal(refusal.writes, 'stream-error');
      return reply(refusal.reply, `http-${refusal.reply.status}`);
    }
    const params = result.params;
    if (params.loadOnly) {
      const api = params.api === 'generate' ? 'generate' : 'chat';
      return reply({ status: 200, contentType: 'application/json; charset=utf-8', body: ollamaLoadAnswer(api, params.responseModel, rfc3339Nano(epoch())) }, 'load');
    }

    // The answer is decided now; a request's own seed makes it reproducible across requests.
    const seed = params.seed ?? seedFromText(`${options.seed}:${seq}`);
    const answer = planAnswer({ seed, prompt: params.promptText, maxTokens: params.maxTokens, force: params.force, minTokens: params.minTokens, stop: params.stop });
    const load = scheduler.snapshot();
    const faults: RequestFaults = options.faults?.plan({ kind, queueDepth: load.waiting, outputTokens: answer.pieces.length }) ?? {};

    // A request that would have to wait is refused once maxQueue requests already wait
    // (TGI 429 overloaded, Ollama 503 server busy); one that can start at once never is.
    const wouldWait = load.waiting > 0 || load.running >= load.maxBatch;
    if (profile.maxQueue !== undefined && wouldWait && load.waiting >= profile.maxQueue) {
      if (kind === 'tgi' && params.stream) return streamRefusal(tgiStreamErrorWrites(params.api, 'overloaded', TGI_OVERLOADED), 'stream-error');
      const r = overloaded(kind);
      return reply(r, `http-${r.status}`);
    }

    const idPrefix = params.api === 'chat' ? 'chatcmpl' : 'cmpl';
    const id =
      kind === 'vllm'
        ? `${idPrefix}-${clientRequestId ?? randomBytes(16).toString('hex')}`
        : kind === 'llamacpp'
          ? `${idPrefix}-${randomAlnum(32)}`
          : '';
    const writer = createAnswerWriter({
      kind,
      params,
      answer,
      id,
      arrivedEpochMs: epoch(arrivedMs),
      seed,
      wrapInArray: route.wrapInArray === true && !params.stream,
    });

    if (faults.headerDelayMs !== undefined && faults.headerDelayMs > 0) {
      await new Promise<void>((resolve) => later(faults.headerDelayMs ?? 0, resolve));
    }
    if (settled) return;
    const before = faults.beforeHeaders;
    if (before?.kind === 'reset') {
      finish('reset');
      // A TCP reset, not a polite close: the client sees ECONNRESET.
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    if (before?.kind === 'http') return reply(faultReply(kind, before.status, before.retryAfterS), `http-${before.status}`);

    if (params.stream) {
      res.writeHead(200, { 'content-type': writer.contentType, ...writer.streamHeaders });
      res.flushHeaders();
      headersAtMs = epoch();
      keepAliveOn = kind === 'tgi';
      armKeepAlive();
    }
    runJob();

    /** Submits the job; its callbacks write what each token is due and end the response. */
    function runJob(): void {
      const last = answer.pieces.length - 1;
      const submittedMs = clock.now();
      let firstTokenMs: number | undefined;
      /** Once a stall struck, every later write waits this long. */
      let stallMs = 0;
      let malformedAtEnd = false;
      const mid = faults.midStream;
      const midAt = mid ? Math.max(0, Math.min(last, mid.atToken)) : -1;
      const prefillCap = params.promptTokens * profile.prefillMsPerToken;

      const times = (at: number): AnswerTimes => {
        const first = firstTokenMs ?? at;
        return {
          nowEpochMs: epoch(at),
          nowMs: at,
          arrivedMs,
          submittedMs,
          firstTokenMs: first,
          // The scheduler does not say how much of the wait was queueing: prefill is the model's
          // cost for this prompt, capped by the time that really passed.
          prefillMs: Math.max(0, Math.min(first - submittedMs, prefillCap)),
        };
      };
      const okOutcome = () => (stallMs > 0 ? 'ok-stalled' : 'ok');

      /** Writes now, or stallMs later once a stall struck (order is kept: all waits are equal). */
      function emit(writes: string[], end: boolean, outcome: () => TraceOutcome): void {
        const run = () => {
          if (settled) return;
          for (const w of writes) write(w);
          if (end) {
            res.end();
            finish(outcome());
          }
        };
        if (stallMs > 0) later(stallMs, run);
        else run();
      }

      function onToken(index: number, at: number): void {
        if (settled) return;
        if (index === 0) firstTokenMs = at;
        // After its last token the scheduler finishes the job itself: never cancel it then.
        if (index >= last) jobLive = false;
        if (mid && index === midAt) {
          switch (mid.kind) {
            case 'cut':
              finish('cut');
              req.socket.destroy();
              return;
            case 'stall':
              stallMs = mid.stallMs ?? 0;
              break;
            case 'malformed':
              if (params.stream) return emit([writer.malformed(index, times(at))], true, () => 'malformed');
              malformedAtEnd = true;
              break;
            case 'error-event':
              if (params.stream) return emit(writer.failure(), true, () => 'error-event');
              return reply(generationFailed(kind), 'error-event');
          }
        }
        if (params.stream) emit(writer.token(index, times(at)), index >= last, okOutcome);
      }

      function onDone(outcome: 'finished' | 'cancelled', at: number): void {
        jobLive = false;
        if (settled) return;
        if (outcome === 'cancelled') {
          // Dropped by the engine itself (scheduler closed): the connection goes with it.
          finish('server-closed');
          res.destroy();
          return;
        }
        if (params.stream) return; // the last token's writes ended the stream
        const whole = writer.whole(times(at));
        const body = malformedAtEnd ? cutInHalf(whole.body) : whole.body;
        const run = () => {
          if (settled) return;
          res.writeHead(200, { 'content-type': whole.contentType, 'content-length': String(Buffer.byteLength(body)), ...whole.headers });
          headersAtMs = epoch();
          write(body);
          res.end();
          finish(malformedAtEnd ? 'malformed' : okOutcome());
        };
        if (stallMs > 0) later(stallMs, run);
        else run();
      }

      // The planned finish reason goes with the job, so the engine's own counters label it as the stream does.
      const job: SimJob = { id: `${label}#${seq}`, promptTokens: params.promptTokens, outputTokens: answer.pieces.length, finishReason: answer.finishReason, onToken, onDone };
      jobId = job.id;
      jobLive = true;
      try {
        scheduler.submit(job);
      } catch {
        // A closed scheduler: the engine is shutting down.
        jobLive = false;
        if (!settled) {
          finish('server-closed');
          res.destroy();
        }
      }
    }
  }

  const server = createServer((req, res) => {
    const arrivedMs = clock.now();
    res.setHeader('x-servebench-simulated', '1');
    handle(req, res, arrivedMs).catch(() => {
      // A bug or a client gone mid-body: answer if still possible, never crash the process.
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, contentType: 'text/plain; charset=utf-8', body: 'Internal Server Error' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    kind,
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      for (const generation of [...active]) generation.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
