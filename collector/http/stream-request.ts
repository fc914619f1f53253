// Sends one generation request and records when every byte of its answer arrived.
// Timing is taken in undici's parser callbacks (onResponseStart / onResponseData), before any
// decoding, so parse cost never inflates a measured latency.
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import {
  MalformedChunkError,
  type EngineErrorInfo,
  type HttpCall,
  type StreamDecoder,
  type StreamEvent,
} from '../engines/engine.ts';
import { formatSize, TooLargeError } from '../framing/caps.ts';
import { round3 } from '../metrics/precision.ts';
import type { ErrorKind, EventsOmitted, RecordedEvent } from '../store/schema/index.ts';
import { afterIoBatch } from './deferred-work.ts';
import { askNewConnection } from './new-connection.ts';
import { joinUrl } from './url.ts';

export interface Timeouts {
  /** No text-bearing event this long after send. */
  ttftMs: number;
  /** No bytes this long between two chunks, once the first token arrived. */
  idleMs: number;
  /** Whole request. */
  totalMs: number;
}

export interface StreamRequestInput {
  dispatcher: Dispatcher;
  base: URL;
  call: HttpCall;
  headers: Record<string, string>;
  decoder: StreamDecoder;
  classifyHttpError: (status: number, body: string) => EngineErrorInfo;
  now: () => number;
  timeouts: Timeouts;
  /** Answer text kept per request, in characters. */
  textLimit: number;
  signal?: AbortSignal;
  /** Sees each decoded event with its arrival time (for live views); must be cheap. */
  onEvent?: (event: StreamEvent, at: number) => void;
  /**
   * Send `connection: close` and close the socket after the answer, so no later request reuses it
   * (--cold-connections: every request opens its own connection).
   */
  closeConnection?: boolean;
}

export interface RequestFailure {
  kind: ErrorKind;
  message: string;
  classification: string | null;
  httpStatus: number | null;
}

export interface StreamOutcome {
  /** Absolute clock reading when the request was handed to the socket layer. */
  sentAt: number;
  /**
   * True when the request was the first written to its socket (it opened that connection), false
   * when it reused one; null when it was never written (no connection could be opened, cancelled).
   */
  newConnection: boolean | null;
  headersMs: number | null;
  endMs: number | null;
  httpStatus: number | null;
  /** The first MAX_EVENTS_KEPT events; the rest are totalled in eventsOmitted. */
  events: RecordedEvent[];
  eventsOmitted: EventsOmitted | null;
  text: string;
  textTruncated: boolean;
  finishReason: string | null;
  usage: StreamEvent['usage'] | null;
  native: Record<string, number> | null;
  /** Sum of per-event token counts, when the wire states them (TGI token events); omitted events included. */
  eventTokens: number | null;
  /** Number of events that carried visible text, omitted events included. */
  textEvents: number;
  completed: boolean;
  error: RequestFailure | null;
}

/** Bytes of a non-2xx body kept for its error message: error bodies are a sentence or a small JSON object. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Bytes of one response, streamed or not. A 128k-token answer in vLLM chunks (about 250 bytes
 * each) is some 32 MiB; 64 MiB covers that with room, and stops a firehose that would never end.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Events kept one by one per request. 100,000 is far beyond any answer (a 32k-token answer is about
 * 32k events) and, at some 80 bytes an event in memory and 30 in the record, keeps a request under
 * 10 MiB in memory and its record line well under the reader's limit. Later events are totalled.
 */
export const MAX_EVENTS_KEPT = 100_000;

/**
 * Engine-native timings kept per request, and the longest name kept: real engines send about ten
 * short names (Ollama's durations, llama.cpp's `timings`), so an engine sending a new name with
 * every event cannot grow a request's record without bound.
 */
export const MAX_NATIVE_FIELDS = 64;
export const MAX_NATIVE_NAME_CHARS = 128;

function mergeNative(kept: Record<string, number> | null, more: Record<string, number>): Record<string, number> {
  const out = { ...kept };
  let fields = Object.keys(out).length;
  for (const [name, value] of Object.entries(more)) {
    if (name.length > MAX_NATIVE_NAME_CHARS) continue;
    if (!Object.hasOwn(out, name)) {
      if (fields >= MAX_NATIVE_FIELDS) continue;
      fields += 1;
    }
    out[name] = value;
  }
  return out;
}

/**
 * Received text not yet decoded, per request, above which its socket is paused until the decoder
 * catches up: a firehose then waits in the kernel, not in memory. Real streams are decoded within
 * a chunk or two, so never get near it; kept small because text that waits long is promoted to
 * the old heap and lingers there as garbage (4 MiB let four firehoses reach 450 MB RSS, 1 MiB 280).
 */
const MAX_UNDECODED_CHARS = 1024 * 1024;

/**
 * After a terminal event (`[DONE]`, `done: true`, TGI details), how long the server has to end its
 * response before the request finishes anyway and its socket is closed. A server that ends it sends
 * the end in the same write or the next (waiting for it keeps the connection reusable); one that
 * does not would otherwise hold the request until a timeout and the socket forever.
 */
const TERMINAL_END_GRACE_MS = 500;

export function streamRequest(input: StreamRequestInput): Promise<StreamOutcome> {
  const { now, timeouts, decoder } = input;
  const target = joinUrl(input.base, input.call.path);
  const bytes = new TextDecoder('utf-8');
  const outcome: StreamOutcome = {
    sentAt: 0,
    newConnection: null,
    headersMs: null,
    endMs: null,
    httpStatus: null,
    events: [],
    eventsOmitted: null,
    text: '',
    textTruncated: false,
    finishReason: null,
    usage: null,
    native: null,
    eventTokens: null,
    textEvents: 0,
    completed: false,
    error: null,
  };
  let controller: Dispatcher.DispatchController | null = null;
  let errorBody: Buffer[] | null = null;
  let errorBodySize = 0;
  let responseBytes = 0;
  let undecodedChars = 0;
  let paused = false;
  // Set as soon as undici reports the response over (ended or failed), before any deferred decoding.
  let responseOver = false;
  let releaseTimer: NodeJS.Timeout | undefined;
  // When the event that ends the answer by protocol arrived: from then on nothing the server sends counts.
  let terminalAt: number | null = null;
  let firstTextAt: number | null = null;
  let lastByteAt = 0;
  let sawEvent = false;
  let done = false;
  let watchdog: NodeJS.Timeout | undefined;
  let resolve!: (value: StreamOutcome) => void;
  const finished = new Promise<StreamOutcome>((r) => (resolve = r));

  const finish = (at: number): void => {
    if (done) return;
    done = true;
    clearTimeout(watchdog);
    input.signal?.removeEventListener('abort', onAbort);
    if (outcome.endMs === null) outcome.endMs = round3(at - outcome.sentAt);
    resolve(outcome);
  };

  const abortSocket = (reason: string): void => {
    try {
      controller?.abort(new Error(reason));
    } catch {
      /* already closed */
    }
  };

  const fail = (failure: RequestFailure, at: number, abort: boolean): void => {
    // The outcome is handed over once finished: nothing may change it afterwards.
    if (done) return;
    if (!outcome.error) outcome.error = failure;
    if (abort) {
      // Stop reading: the answer is already classified, and the socket must not linger.
      abortSocket(failure.message);
      finish(at);
    }
  };

  const record = (event: StreamEvent, at: number): void => {
    sawEvent = true;
    const text = event.text ?? event.reasoning ?? event.toolCall ?? '';
    const offsetMs = round3(at - outcome.sentAt);
    const textBearing = text.length > 0 && (event.kind === 'content' || event.kind === 'reasoning' || event.kind === 'tool-call');
    if (outcome.events.length < MAX_EVENTS_KEPT) {
      outcome.events.push([offsetMs, event.kind, event.tokens ?? null, text.length]);
    } else {
      const omitted = (outcome.eventsOmitted ??= { count: 0, textEvents: 0, tokens: 0, textChars: 0, firstMs: offsetMs, lastMs: offsetMs, lastTextMs: null });
      omitted.count += 1;
      if (textBearing) {
        omitted.textEvents += 1;
        omitted.lastTextMs = offsetMs;
      }
      omitted.tokens += event.tokens ?? 0;
      omitted.textChars += text.length;
      omitted.lastMs = offsetMs;
    }
    if (event.tokens !== undefined) outcome.eventTokens = (outcome.eventTokens ?? 0) + event.tokens;
    if (textBearing) {
      outcome.textEvents += 1;
      if (firstTextAt === null) {
        firstTextAt = at;
        // The deadline changes from TTFT to idle: re-arm now, or a stall would wait for the TTFT timer.
        clearTimeout(watchdog);
        armWatchdog();
      }
    }
    if (event.text) {
      const room = input.textLimit - outcome.text.length;
      if (room >= event.text.length) outcome.text += event.text;
      else {
        outcome.text += event.text.slice(0, Math.max(0, room));
        outcome.textTruncated = true;
      }
    }
    if (event.finishReason) outcome.finishReason = event.finishReason;
    if (event.usage) outcome.usage = { ...outcome.usage, ...event.usage };
    if (event.native) outcome.native = mergeNative(outcome.native, event.native);
    if (event.completes) outcome.completed = true;
    if (event.error) {
      outcome.completed = false;
      fail(
        {
          kind: 'engine_error',
          message: event.error.message,
          classification: event.error.classification ?? null,
          httpStatus: outcome.httpStatus,
        },
        at,
        false,
      );
    }
    if (event.terminal && outcome.endMs === null) outcome.endMs = offsetMs;
  };

  const feed = (events: StreamEvent[], at: number): void => {
    for (const event of events) {
      if (done || terminalAt !== null) return;
      record(event, at);
      input.onEvent?.(event, at);
      if (event.terminal && !done) onTerminal(at);
    }
  };

  /**
   * The protocol says the answer is over, whether or not the server ends its response: no timeout
   * applies any more, and the request finishes when the response ends or, if the server holds it
   * open, after a short grace, closing the socket.
   */
  const onTerminal = (at: number): void => {
    terminalAt = at;
    clearTimeout(watchdog);
    if (responseOver) return conclude(at);
    if (paused) {
      // Let the end of the response through.
      paused = false;
      controller?.resume();
    }
    releaseTimer = setTimeout(() => {
      abortSocket('the server kept the response open after its terminal event');
      conclude(at);
    }, TERMINAL_END_GRACE_MS);
    releaseTimer.unref?.();
  };

  /** The answer is over: a failure unless it carried its completion marker. */
  const conclude = (at: number): void => {
    if (done) return;
    if (!outcome.error && !outcome.completed) {
      if (!sawEvent) fail(failure('empty_response', 'the response ended without any event'), at, false);
      else fail(failure('stream_cut', 'the stream ended before its completion marker'), at, false);
    }
    finish(at);
  };

  const tooLarge = (message: string, at: number): void => {
    fail(failure('too_large', message), at, true);
  };

  const armWatchdog = (): void => {
    const at = now();
    const deadlines = [outcome.sentAt + timeouts.totalMs];
    if (firstTextAt === null) deadlines.push(outcome.sentAt + timeouts.ttftMs);
    else deadlines.push(lastByteAt + timeouts.idleMs);
    const next = Math.min(...deadlines);
    watchdog = setTimeout(checkDeadlines, Math.max(1, Math.ceil(next - at)));
    watchdog.unref?.();
  };

  const checkDeadlines = (): void => {
    if (done || terminalAt !== null) return;
    const at = now();
    const elapsed = at - outcome.sentAt;
    if (elapsed >= timeouts.totalMs) {
      return fail(failure('timeout_total', `no complete answer within ${timeouts.totalMs} ms`), at, true);
    }
    if (firstTextAt === null && elapsed >= timeouts.ttftMs) {
      return fail(failure('timeout_ttft', `no token within ${timeouts.ttftMs} ms of sending`), at, true);
    }
    if (firstTextAt !== null && at - lastByteAt >= timeouts.idleMs) {
      return fail(failure('timeout_idle', `stream idle for ${timeouts.idleMs} ms between events`), at, true);
    }
    armWatchdog();
  };

  const failure = (kind: ErrorKind, message: string): RequestFailure => ({
    kind,
    message,
    classification: null,
    httpStatus: outcome.httpStatus,
  });

  const onAbort = (): void => {
    // A complete answer waiting only for its response to end is not cancelled: it is over.
    if (terminalAt !== null) {
      abortSocket('cancelled by the user');
      return conclude(terminalAt);
    }
    fail(failure('cancelled', 'cancelled by the user before it finished'), now(), true);
  };

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (done) {
        c.abort(new Error('cancelled'));
        return;
      }
      askNewConnection(input.call.method, target.path, (opened) => {
        outcome.newConnection = opened;
      });
    },
    onResponseStart(_c, statusCode: number, _headers: IncomingHttpHeaders) {
      const at = now();
      lastByteAt = at;
      outcome.headersMs = round3(at - outcome.sentAt);
      outcome.httpStatus = statusCode;
      if (statusCode < 200 || statusCode >= 300) errorBody = [];
    },
    onResponseData(c, chunk: Buffer) {
      const at = now();
      if (done || terminalAt !== null) return;
      lastByteAt = at;
      responseBytes += chunk.length;
      if (responseBytes > MAX_RESPONSE_BYTES) {
        return tooLarge(`the engine sent more than ${formatSize(MAX_RESPONSE_BYTES)} in one response (cap on a response)`, at);
      }
      if (errorBody) {
        if (errorBodySize < ERROR_BODY_LIMIT) {
          errorBody.push(Buffer.from(chunk));
          errorBodySize += chunk.length;
        }
        return;
      }
      // Text now (cheap, and the bytes are not kept); framing and JSON after the I/O batch.
      const text = bytes.decode(chunk, { stream: true });
      undecodedChars += text.length;
      if (undecodedChars > MAX_UNDECODED_CHARS && !paused) {
        paused = true;
        c.pause();
      }
      afterIoBatch(() => {
        undecodedChars -= text.length;
        if (paused && undecodedChars <= MAX_UNDECODED_CHARS / 2) {
          paused = false;
          if (!done) c.resume();
        }
        if (done || terminalAt !== null) return;
        try {
          feed(decoder.feed(text), at);
        } catch (error) {
          onDecodeError(error, at);
        }
      });
    },
    onResponseEnd() {
      const at = now();
      responseOver = true;
      clearTimeout(releaseTimer);
      if (done) return;
      if (terminalAt !== null) return conclude(terminalAt);
      // After the deferred chunks of this response, in order.
      afterIoBatch(() => endResponse(at));
    },
    onResponseError(_c, error: Error) {
      const at = now();
      responseOver = true;
      clearTimeout(releaseTimer);
      if (done) return;
      // A socket broken (or closed by us) after the terminal event does not undo a complete answer.
      if (terminalAt !== null) return conclude(terminalAt);
      afterIoBatch(() => {
        if (done) return;
        fail(transportFailure(error, outcome.headersMs !== null, outcome.httpStatus), at, false);
        finish(at);
      });
    },
  };

  const endResponse = (at: number): void => {
    if (done) return;
    if (terminalAt !== null) return conclude(terminalAt);
    if (errorBody) {
      const body = Buffer.concat(errorBody).toString('utf8');
      const status = outcome.httpStatus ?? 0;
      const info = input.classifyHttpError(status, body);
      fail(
        {
          kind: status === 429 ? 'http_429' : 'http_error',
          message: `HTTP ${status}: ${info.message}`,
          classification: info.classification ?? null,
          httpStatus: status,
        },
        at,
        false,
      );
      return finish(at);
    }
    try {
      feed(decoder.feed(bytes.decode()), at);
      if (!done) feed(decoder.end(), at);
    } catch (error) {
      onDecodeError(error, at);
    }
    conclude(at);
  };

  const onDecodeError = (error: unknown, at: number): void => {
    if (error instanceof TooLargeError) {
      tooLarge(error.message, at);
    } else if (error instanceof MalformedChunkError) {
      fail(failure('malformed_chunk', error.message), at, true);
    } else {
      fail(failure('malformed_chunk', `could not decode the stream: ${String(error)}`), at, true);
    }
  };

  const body = input.call.body === undefined ? undefined : JSON.stringify(input.call.body);
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream, application/x-ndjson',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...input.headers,
  };
  if (input.signal?.aborted) {
    outcome.sentAt = now();
    onAbort();
    return finished;
  }
  input.signal?.addEventListener('abort', onAbort, { once: true });
  outcome.sentAt = now();
  armWatchdog();
  try {
    input.dispatcher.dispatch(
      { origin: target.origin, path: target.path, method: input.call.method, headers, body, ...(input.closeConnection ? { reset: true } : {}) },
      handler,
    );
  } catch (error) {
    fail(transportFailure(error as Error, false, null), now(), false);
    finish(now());
  }
  return finished;
}

/**
 * Maps a socket-level error to an error kind; after headers, a broken socket is a cut stream. A
 * socket that cannot be created at all (EMFILE/ENFILE when file descriptors run out, EADDRNOTAVAIL
 * when ports do) is `connection_failed`: the request is recorded, the run goes on.
 */
export function transportFailure(error: Error, afterHeaders: boolean, httpStatus: number | null): RequestFailure {
  const code = errorCode(error);
  const detail = `${error.message}${code ? ` (${code})` : ''}`;
  let kind: ErrorKind;
  // undici refuses response headers over its 16 KiB maximum.
  if (code === 'UND_ERR_HEADERS_OVERFLOW') kind = 'too_large';
  else if (afterHeaders) kind = 'stream_cut';
  else if (code === 'ECONNREFUSED') kind = 'connection_refused';
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') kind = 'connection_reset';
  else kind = 'connection_failed';
  return { kind, message: detail, classification: null, httpStatus };
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (current as { errors?: unknown[] }).errors?.[0];
    current = inner ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}
