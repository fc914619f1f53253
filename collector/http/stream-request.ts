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
import { round3 } from '../metrics/precision.ts';
import type { ErrorKind, RecordedEvent } from '../store/schema/index.ts';
import { afterIoBatch } from './deferred-work.ts';
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
  headersMs: number | null;
  endMs: number | null;
  httpStatus: number | null;
  events: RecordedEvent[];
  text: string;
  textTruncated: boolean;
  finishReason: string | null;
  usage: StreamEvent['usage'] | null;
  native: Record<string, number> | null;
  /** Sum of per-event token counts, when the wire states them (TGI token events). */
  eventTokens: number | null;
  /** Number of events that carried visible text. */
  textEvents: number;
  completed: boolean;
  error: RequestFailure | null;
}

const ERROR_BODY_LIMIT = 64 * 1024;

export function streamRequest(input: StreamRequestInput): Promise<StreamOutcome> {
  const { now, timeouts, decoder } = input;
  const target = joinUrl(input.base, input.call.path);
  const bytes = new TextDecoder('utf-8');
  const outcome: StreamOutcome = {
    sentAt: 0,
    headersMs: null,
    endMs: null,
    httpStatus: null,
    events: [],
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

  const fail = (failure: RequestFailure, at: number, abort: boolean): void => {
    if (!outcome.error) outcome.error = failure;
    if (abort) {
      // Stop reading: the answer is already classified, and the socket must not linger.
      try {
        controller?.abort(new Error(failure.message));
      } catch {
        /* already closed */
      }
      finish(at);
    }
  };

  const record = (event: StreamEvent, at: number): void => {
    sawEvent = true;
    const text = event.text ?? event.reasoning ?? event.toolCall ?? '';
    outcome.events.push([round3(at - outcome.sentAt), event.kind, event.tokens ?? null, text.length]);
    if (event.tokens !== undefined) outcome.eventTokens = (outcome.eventTokens ?? 0) + event.tokens;
    if (text.length > 0 && (event.kind === 'content' || event.kind === 'reasoning' || event.kind === 'tool-call')) {
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
    if (event.native) outcome.native = { ...outcome.native, ...event.native };
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
    if (event.terminal && outcome.endMs === null) outcome.endMs = round3(at - outcome.sentAt);
  };

  const feed = (events: StreamEvent[], at: number): void => {
    for (const event of events) {
      record(event, at);
      input.onEvent?.(event, at);
    }
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
    if (done) return;
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

  const onAbort = (): void => fail(failure('cancelled', 'cancelled by the user before it finished'), now(), true);

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (done) c.abort(new Error('cancelled'));
    },
    onResponseStart(_c, statusCode: number, _headers: IncomingHttpHeaders) {
      const at = now();
      lastByteAt = at;
      outcome.headersMs = round3(at - outcome.sentAt);
      outcome.httpStatus = statusCode;
      if (statusCode < 200 || statusCode >= 300) errorBody = [];
    },
    onResponseData(_c, chunk: Buffer) {
      const at = now();
      if (done) return;
      lastByteAt = at;
      if (errorBody) {
        if (errorBodySize < ERROR_BODY_LIMIT) {
          errorBody.push(Buffer.from(chunk));
          errorBodySize += chunk.length;
        }
        return;
      }
      // Text now (cheap, and the bytes are not kept); framing and JSON after the I/O batch.
      const text = bytes.decode(chunk, { stream: true });
      afterIoBatch(() => {
        if (done) return;
        try {
          feed(decoder.feed(text), at);
        } catch (error) {
          onDecodeError(error, at);
        }
      });
    },
    onResponseEnd() {
      const at = now();
      if (done) return;
      // After the deferred chunks of this response, in order.
      afterIoBatch(() => endResponse(at));
    },
    onResponseError(_c, error: Error) {
      const at = now();
      if (done) return;
      afterIoBatch(() => {
        if (done) return;
        fail(transportFailure(error, outcome.headersMs !== null, outcome.httpStatus), at, false);
        finish(at);
      });
    },
  };

  const endResponse = (at: number): void => {
    if (done) return;
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
      feed(decoder.end(), at);
    } catch (error) {
      onDecodeError(error, at);
    }
    if (!outcome.error && !outcome.completed) {
      if (!sawEvent) fail(failure('empty_response', 'the response ended without any event'), at, false);
      else fail(failure('stream_cut', 'the stream ended before its completion marker'), at, false);
    }
    finish(at);
  };

  const onDecodeError = (error: unknown, at: number): void => {
    if (error instanceof MalformedChunkError) {
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
      { origin: target.origin, path: target.path, method: input.call.method, headers, body },
      handler,
    );
  } catch (error) {
    fail(transportFailure(error as Error, false, null), now(), false);
    finish(now());
  }
  return finished;
}

/** Maps a socket-level error to an error kind; after headers, a broken socket is a cut stream. */
export function transportFailure(error: Error, afterHeaders: boolean, httpStatus: number | null): RequestFailure {
  const code = errorCode(error);
  const detail = `${error.message}${code ? ` (${code})` : ''}`;
  let kind: ErrorKind;
  if (afterHeaders) kind = 'stream_cut';
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
