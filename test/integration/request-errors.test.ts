// Every way a request can fail becomes an error kind on its record, never a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createServer } from 'node:net';
import { vllm } from '../../collector/engines/vllm.ts';
import { streamRequest, type StreamOutcome, type Timeouts } from '../../collector/http/stream-request.ts';
import { chunk, finish, sse, startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

const TIMEOUTS: Timeouts = { ttftMs: 400, idleMs: 300, totalMs: 1500 };

describe('request failures are classified, not thrown', () => {
  let server: ScriptedServer;
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  beforeAll(async () => {
    server = await startScriptedServer({
      '/ok/v1/chat/completions': (_q, res) => {
        sse(res, [chunk('Hi'), chunk(' there'), finish(), '[DONE]']);
        res.end();
      },
      '/429/v1/chat/completions': (_q, res) => {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { message: 'slow down', type: 'RateLimitError', param: null, code: 429 } }));
      },
      '/500/v1/chat/completions': (_q, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('boom');
      },
      '/reset/v1/chat/completions': (_q, _res, socket) => socket.destroy(),
      '/cut/v1/chat/completions': (_q, res, socket) => {
        sse(res, [chunk('Hi'), chunk(' the')]);
        setTimeout(() => socket.destroy(), 30);
      },
      '/closed-early/v1/chat/completions': (_q, res) => {
        sse(res, [chunk('Hi')]);
        res.end();
      },
      '/stall-first/v1/chat/completions': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
      },
      '/stall-mid/v1/chat/completions': (_q, res) => {
        sse(res, [chunk('Hi')]);
      },
      '/slow-drip/v1/chat/completions': (_q, res) => {
        sse(res, [chunk('a')]);
        const timer = setInterval(() => {
          if (res.destroyed) clearInterval(timer);
          else res.write(`data: ${chunk('b')}\n\n`);
        }, 100);
        res.on('close', () => clearInterval(timer));
      },
      '/engine-error/v1/chat/completions': (_q, res) => {
        sse(res, [chunk('Paris'), JSON.stringify({ error: { message: 'EngineCore died', type: 'InternalServerError', param: null, code: 500 } }), '[DONE]']);
        res.end();
      },
      '/malformed/v1/chat/completions': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${chunk('Hi')}\n\ndata: {"choices": [oops\n\n`);
        res.end();
      },
      '/empty/v1/chat/completions': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
      },
    });
  });
  afterAll(async () => {
    await dispatcher.close();
    await server.close();
  });

  const send = (prefix: string, base = server.url, timeouts = TIMEOUTS): Promise<StreamOutcome> =>
    streamRequest({
      dispatcher,
      base: new URL(`${base}${prefix}`),
      call: vllm.buildRequest('chat', {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        maxTokens: 8,
        temperature: 0,
        forceOutputLength: false,
        stream: true,
      }),
      headers: {},
      decoder: vllm.createDecoder('chat', true),
      classifyHttpError: vllm.classifyHttpError,
      now: () => performance.now(),
      timeouts,
      textLimit: 1000,
    });

  it('records a complete stream as completed with its text', async () => {
    const outcome = await send('/ok');
    expect(outcome.error).toBeNull();
    expect(outcome.completed).toBe(true);
    expect(outcome.text).toBe('Hi there');
    expect(outcome.finishReason).toBe('stop');
  });

  const cases: [string, string, string | null][] = [
    ['/429', 'http_429', 'overloaded'],
    ['/500', 'http_error', 'server_error'],
    ['/reset', 'connection_reset', null],
    ['/cut', 'stream_cut', null],
    ['/closed-early', 'stream_cut', null],
    ['/stall-first', 'timeout_ttft', null],
    ['/stall-mid', 'timeout_idle', null],
    ['/slow-drip', 'timeout_total', null],
    ['/engine-error', 'engine_error', 'server_error_midstream'],
    ['/malformed', 'malformed_chunk', null],
    ['/empty', 'empty_response', null],
  ];
  for (const [path, kind, classification] of cases) {
    it(`classifies ${path.slice(1)} as ${kind}`, async () => {
      const outcome = await send(path);
      expect(outcome.completed).toBe(false);
      expect(outcome.error?.kind).toBe(kind);
      if (classification) expect(outcome.error?.classification).toBe(classification);
      expect(outcome.endMs).not.toBeNull();
    });
  }

  it('keeps the partial text of a stream cut mid-answer', async () => {
    const outcome = await send('/cut');
    expect(outcome.text).toBe('Hi the');
  });

  it('detects a stall after the first token even when the TTFT timeout is much longer', async () => {
    const outcome = await send('/stall-mid', server.url, { ttftMs: 60_000, idleMs: 300, totalMs: 60_000 });
    expect(outcome.error?.kind).toBe('timeout_idle');
    expect(outcome.endMs!).toBeLessThan(1000);
  });

  it('stops waiting at the TTFT timeout, not later', async () => {
    const outcome = await send('/stall-first');
    expect(outcome.endMs!).toBeGreaterThanOrEqual(TIMEOUTS.ttftMs);
    expect(outcome.endMs!).toBeLessThan(TIMEOUTS.ttftMs + 200);
  });

  it('classifies a refused connection as connection_refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const outcome = await send('', `http://127.0.0.1:${port}`);
    expect(outcome.error?.kind).toBe('connection_refused');
  });

  it('records a request cancelled by the user as cancelled', async () => {
    const controller = new AbortController();
    const pending = streamRequest({
      dispatcher,
      base: new URL(`${server.url}/stall-first`),
      call: { method: 'POST', path: '/v1/chat/completions', body: {} },
      headers: {},
      decoder: vllm.createDecoder('chat', true),
      classifyHttpError: vllm.classifyHttpError,
      now: () => performance.now(),
      timeouts: TIMEOUTS,
      textLimit: 10,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const outcome = await pending;
    expect(outcome.error?.kind).toBe('cancelled');
  });
});
