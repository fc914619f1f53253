// A loopback engine that misbehaves on purpose, one mode per misbehaviour. The mode is the first
// path segment of the engine URL (`http://127.0.0.1:PORT/firehose` is an engine that floods), or
// one mode for every path via the `mode` option. Behind the mode, paths are answered as vLLM/OpenAI
// (`/v1/chat/completions`), Ollama (`/api/chat`) or TGI (`/generate_stream`) would.
// Endless writers respect backpressure and stop as soon as the client disconnects, so a test ends
// when the collector cuts a hostile answer off; `settled()` says when every answer is over.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const HOSTILE_MODES = [
  /** A normal, complete answer on every path (a control). */
  'well-behaved',
  /** SSE: one `data:` line that never ends (bytes forever, no newline). */
  'sse-endless-line',
  /** NDJSON: one line that never ends. */
  'ndjson-endless-line',
  /** A non-streamed JSON body that never ends, whatever was asked. */
  'endless-body',
  /** Millions of tiny valid events as fast as the socket takes them, never finishing. */
  'firehose',
  /** Info endpoints (/v1/models, /version, /info, /props, /api/*) answer an endless body. */
  'endless-info',
  /** /metrics and /api/ps answer an endless body. */
  'endless-metrics',
  /** A complete answer ([DONE], `done: true`, TGI details), then the connection is kept open. */
  'open-after-done',
  /** One event (or body) whose JSON holds a single 100 MB string, then a proper ending. */
  'huge-string',
  /** A complete answer whose text bytes are not valid UTF-8. */
  'invalid-utf8',
  /** `data: ` and then 4 MiB of NUL bytes, kept open. */
  'nul-bytes',
  /** SSE comment lines (`:` keep-alives) forever, never an event. */
  'keepalive-flood',
  /** `data:` lines forever without the blank line that would end the event. */
  'data-lines-flood',
  /** A status line and then response headers forever. */
  'endless-headers',
  /** 10,000 text events, each naming a new native timing (llama.cpp's `timings`), then a proper end. */
  'native-names-flood',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileServer {
  url: string;
  /** Requests answered so far, by mode. */
  requests: Map<HostileMode, number>;
  /** Resolves once no answer is in progress: every one ended or its client went away. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

type Protocol = 'openai' | 'ollama' | 'tgi';

const GENERATION: Record<string, Protocol> = {
  '/v1/chat/completions': 'openai',
  '/v1/completions': 'openai',
  '/api/chat': 'ollama',
  '/api/generate': 'ollama',
  '/generate_stream': 'tgi',
  '/generate': 'tgi',
};

const INFO_PATHS = new Set(['/v1/models', '/version', '/info', '/props', '/api/version', '/api/show', '/api/tags']);
const MODEL = 'hostile-model';
const HUGE_STRING_BYTES = 100 * 1000 * 1000;

export async function startHostileServer(options: { mode?: HostileMode } = {}): Promise<HostileServer> {
  const requests = new Map<HostileMode, number>();
  let open = 0;
  let waiters: (() => void)[] = [];
  const track = (res: ServerResponse): void => {
    open += 1;
    res.once('close', () => {
      open -= 1;
      if (open === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
  };

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const { mode, path } = route(req.url ?? '/', options.mode);
      requests.set(mode, (requests.get(mode) ?? 0) + 1);
      track(res);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        /* not JSON: answered as if empty */
      }
      answer(mode, path, body, req, res);
    });
  });
  // A client that cuts an answer off resets the connection: expected here, not an error.
  server.on('connection', (socket: Socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    settled: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function route(url: string, fixed: HostileMode | undefined): { mode: HostileMode; path: string } {
  const path = url.split('?')[0]!;
  if (fixed) return { mode: fixed, path };
  const first = /^\/([^/]+)(\/.*)?$/.exec(path);
  const named = HOSTILE_MODES.find((m) => m === first?.[1]);
  return named ? { mode: named, path: first?.[2] ?? '/' } : { mode: 'well-behaved', path };
}

function answer(mode: HostileMode, path: string, body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
  const protocol = GENERATION[path];
  if (protocol) {
    // Ollama streams unless told not to; TGI's route decides; OpenAI streams only when asked.
    const stream = protocol === 'ollama' ? body['stream'] !== false : protocol === 'tgi' ? path === '/generate_stream' : body['stream'] === true;
    return generate(mode, protocol, stream, req, res);
  }
  if (mode === 'endless-info' && INFO_PATHS.has(path)) {
    return endless(res, 'application/json', '{"data":[', '{"id":"hostile-model","object":"model"},');
  }
  if (mode === 'endless-metrics' && path === '/metrics') {
    return endless(res, 'text/plain; version=0.0.4', '# TYPE flood counter\n', 'flood_total{engine="0"} 1\n');
  }
  if (mode === 'endless-metrics' && path === '/api/ps') {
    return endless(res, 'application/json', '{"models":[', '{"name":"hostile-model","size_vram":1},');
  }
  if (mode === 'endless-headers') return endlessHeaders(req.socket);
  return json(res, infoBody(path));
}

function infoBody(path: string): unknown {
  switch (path) {
    case '/v1/models':
      return { object: 'list', data: [{ id: MODEL, object: 'model', max_model_len: 4096 }] };
    case '/version':
    case '/api/version':
      return { version: '0.0.0-hostile' };
    case '/info':
      return { model_id: MODEL, version: '0.0.0-hostile', max_total_tokens: 4096 };
    case '/api/tags':
    case '/api/ps':
      return { models: [{ name: MODEL, model: MODEL, size_vram: 1 }] };
    default:
      return {};
  }
}

function json(res: ServerResponse, value: unknown): void {
  if (typeof value === 'string') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(value);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

// ---- generation ----

const sseEvent = (data: string): string => `data: ${data}\n\n`;
const openAiChunk = (text: string): string => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const openAiFinish = (): string => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
const ollamaLine = (text: string): string => `${JSON.stringify({ model: MODEL, message: { role: 'assistant', content: text }, done: false })}\n`;
const ollamaDone = (): string => `${JSON.stringify({ model: MODEL, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 2, prompt_eval_count: 3 })}\n`;
const tgiToken = (text: string): string => JSON.stringify({ index: 1, token: { id: 1, text, logprob: 0, special: false }, generated_text: null, details: null });
const tgiLast = (): string =>
  JSON.stringify({ index: 2, token: { id: 2, text: '', logprob: 0, special: true }, generated_text: 'Hi there', details: { finish_reason: 'eos_token', generated_tokens: 3, input_length: 3 } });

const CONTENT_TYPE: Record<Protocol, string> = { openai: 'text/event-stream', ollama: 'application/x-ndjson', tgi: 'text/event-stream' };

/** A whole well-behaved answer: streamed pieces and their ending, or one JSON body. */
function completeAnswer(protocol: Protocol, stream: boolean, words: string[]): string {
  if (!stream) {
    const text = words.join('');
    if (protocol === 'openai') return JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: words.length } });
    if (protocol === 'ollama') return JSON.stringify({ model: MODEL, message: { role: 'assistant', content: text }, done: true, done_reason: 'stop', eval_count: words.length });
    return JSON.stringify({ generated_text: text, details: { finish_reason: 'eos_token', generated_tokens: words.length } });
  }
  if (protocol === 'openai') return [...words.map((w) => sseEvent(openAiChunk(w))), sseEvent(openAiFinish()), sseEvent('[DONE]')].join('');
  if (protocol === 'ollama') return [...words.map(ollamaLine), ollamaDone()].join('');
  return [...words.map((w) => sseEvent(tgiToken(w))), sseEvent(tgiLast())].join('');
}

function generate(mode: HostileMode, protocol: Protocol, stream: boolean, req: IncomingMessage, res: ServerResponse): void {
  const type = stream ? CONTENT_TYPE[protocol] : 'application/json';
  const sse = stream && protocol !== 'ollama';
  switch (mode) {
    case 'sse-endless-line':
      return endless(res, 'text/event-stream', 'data: {"choices":[{"index":0,"delta":{"content":"', 'x');
    case 'ndjson-endless-line':
      return endless(res, 'application/x-ndjson', '{"message":{"role":"assistant","content":"', 'x');
    case 'endless-body':
      return endless(res, 'application/json', '{"choices":[{"index":0,"message":{"role":"assistant","content":"', 'x');
    case 'firehose': {
      if (!stream) return endless(res, 'application/json', '{"choices":[{"index":0,"message":{"role":"assistant","content":"', 'a');
      const one = protocol === 'openai' ? sseEvent(JSON.stringify({ choices: [{ delta: { content: 'a' } }] })) : protocol === 'ollama' ? ollamaLine('a') : sseEvent(tgiToken('a'));
      return endless(res, type, '', one);
    }
    case 'open-after-done':
      res.writeHead(200, { 'content-type': type });
      res.write(completeAnswer(protocol, stream, ['Hi', ' there']));
      return; // never ended: the collector must finish on the terminal event and close the socket
    case 'huge-string': {
      const [head, tail] = hugeStringParts(protocol, stream);
      return finite(res, type, head, 'x', HUGE_STRING_BYTES, tail);
    }
    case 'invalid-utf8': {
      res.writeHead(200, { 'content-type': type });
      // A lone continuation byte, a truncated 2-byte and 3-byte sequence, and bytes never valid.
      const bad = Buffer.from([0x80, 0xc3, 0x28, 0xe2, 0x82, 0x28, 0xfe, 0xff]);
      const [before, after] = completeAnswer(protocol, stream, ['Hi', 'BAD', ' there']).split('BAD');
      res.end(Buffer.concat([Buffer.from(before!), bad, Buffer.from(after!)]));
      return;
    }
    case 'nul-bytes':
      res.writeHead(200, { 'content-type': type });
      if (sse) res.write('data: ');
      res.write(Buffer.alloc(4 * 1024 * 1024, 0));
      return; // kept open
    case 'keepalive-flood':
      return endless(res, 'text/event-stream', '', ':\n\n');
    case 'data-lines-flood':
      return endless(res, 'text/event-stream', '', 'data: x\n');
    case 'endless-headers':
      return endlessHeaders(req.socket);
    case 'native-names-flood': {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 10_000; i++) res.write(sseEvent(JSON.stringify({ choices: [{ delta: { content: 'a' } }], timings: { [`t${i}`]: i, ['n'.repeat(200)]: 1 } })));
      res.end(`${sseEvent(JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] }))}${sseEvent('[DONE]')}`);
      return;
    }
    default:
      res.writeHead(200, { 'content-type': type });
      res.end(completeAnswer(protocol, stream, ['Hi', ' there']));
  }
}

function hugeStringParts(protocol: Protocol, stream: boolean): [string, string] {
  if (protocol === 'ollama') {
    const [head, tail] = JSON.stringify({ model: MODEL, message: { role: 'assistant', content: '@' }, done: !stream, done_reason: 'stop' }).split('@');
    return [head!, `${tail!}\n${stream ? ollamaDone() : ''}`];
  }
  if (!stream) {
    const [head, tail] = completeAnswer(protocol, false, ['@']).split('@');
    return [head!, tail!];
  }
  const event = protocol === 'openai' ? openAiChunk('@') : tgiToken('@');
  const [head, tail] = event.split('@');
  const ending = protocol === 'openai' ? sseEvent(openAiFinish()) + sseEvent('[DONE]') : sseEvent(tgiLast());
  return [`data: ${head!}`, `${tail!}\n\n${ending}`];
}

// ---- writers ----

/** Writes `piece` about 64 KiB at a time while the socket takes it, until the client goes away. */
function endless(res: ServerResponse, type: string, head: string, piece: string): void {
  res.writeHead(200, { 'content-type': type });
  if (head) res.write(head);
  const block = Buffer.from(piece.repeat(Math.max(1, Math.floor(65536 / piece.length))));
  pump(res, () => block);
}

/** Writes `head`, then `bytes` of `fill`, then `tail`, and ends. */
function finite(res: ServerResponse, type: string, head: string, fill: string, bytes: number, tail: string): void {
  res.writeHead(200, { 'content-type': type });
  res.write(head);
  const block = Buffer.from(fill.repeat(65536));
  let left = bytes;
  pump(res, () => {
    if (left <= 0) {
      res.end(tail);
      return null;
    }
    const piece = left >= block.length ? block : block.subarray(0, left);
    left -= piece.length;
    return piece;
  });
}

/** Calls `next` for each block and writes it, waiting for 'drain' when the socket is full; stops on close or null. */
function pump(out: ServerResponse | Socket, next: () => Buffer | null): void {
  let closed = false;
  out.once('close', () => {
    closed = true;
  });
  const write = (): void => {
    while (!closed && !out.destroyed) {
      const block = next();
      if (block === null) return;
      if (!out.write(block)) {
        out.once('drain', write);
        return;
      }
    }
  };
  write();
}

/** A status line, then headers forever, written straight to the socket. */
function endlessHeaders(socket: Socket): void {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n');
  const block = Buffer.from('x-flood: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n'.repeat(1000));
  pump(socket, () => block);
}
