// Whether a request opened the connection it went out on: its TTFT then includes the TCP (and TLS)
// handshake, which a user of a warm service does not pay. A request opened its connection when it
// is the first written to its socket.
//
// undici does not tell a request's handler which socket carries it. Its diagnostics channel
// 'undici:client:sendHeaders' does (a documented channel: request, raw headers, socket), published
// just before the request's first byte is written, in the same synchronous step as the handler's
// onRequestStart for that request. So a handler announces itself in onRequestStart and the next
// sendHeaders message, if it names the same method and path, answers it.
import { subscribe } from 'node:diagnostics_channel';

interface Waiting {
  method: string;
  path: string;
  answer: (opened: boolean) => void;
}

/** Sockets that have carried a request (warm-up and control requests included). */
const used = new WeakSet<object>();
let waiting: Waiting | null = null;

subscribe('undici:client:sendHeaders', (message) => {
  const { request, socket } = message as { request?: { method?: unknown; path?: unknown }; socket?: object };
  if (!socket) return;
  const opened = !used.has(socket);
  used.add(socket);
  const asked = waiting;
  waiting = null;
  if (asked && request?.method === asked.method && request.path === asked.path) asked.answer(opened);
});

/**
 * Call from a DispatchHandler's onRequestStart (and not when aborting there): `answer` is called,
 * before the request is written, with whether it is the first request on its socket. A question
 * left unanswered (the request failed before its headers went out) is replaced by the next one,
 * and a message for another method or path never answers it.
 */
export function askNewConnection(method: string, path: string, answer: (opened: boolean) => void): void {
  waiting = { method, path, answer };
}
