// Faults and ground truth over real HTTP: each injected fault reaches the client the way the real
// failure would, the collector's decoders read it as the engine's, and the trace records the epoch
// time of every write with the request's outcome. Also queue overload and client disconnects.
import { describe, expect, it } from 'vitest';
import { MalformedChunkError, type StreamEvent } from '../../collector/engines/engine.ts';
import { findEngine } from '../../collector/engines/index.ts';
import type { RequestFaults, SimKind } from '../../collector/sim/types.ts';
import { startSim, until, type RunningSim, type SimSetup } from './harness.ts';

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  /** Set when reading the body failed (connection cut or reset). */
  error?: unknown;
}

async function call(sim: RunningSim, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Raw> {
  const response = await fetch(sim.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers }, ...(signal ? { signal } : {}) });
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const piece of response.body!) text += decoder.decode(piece, { stream: true });
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    return { status: response.status, headers: response.headers, text, error };
  }
}

function decode(kind: SimKind, api: string, stream: boolean, text: string): StreamEvent[] {
  const decoder = findEngine(kind)!.createDecoder(api, stream);
  return [...decoder.feed(text), ...decoder.end()];
}

async function withSim<T>(kind: SimKind, setup: SimSetup, run: (sim: RunningSim) => Promise<T>): Promise<T> {
  const sim = await startSim(kind, setup);
  try {
    return await run(sim);
  } finally {
    await sim.close();
  }
}

const CHAT = (sim: RunningSim, extra: Record<string, unknown> = {}) => ({
  model: sim.model,
  messages: [{ role: 'user', content: 'Tell me something.' }],
  stream: true,
  ...extra,
});

describe('ground truth', () => {
  it('records the epoch time of every write of a vLLM stream, in order, under the client request id', async () => {
    await withSim('vllm', { profile: { decodeStepBaseMs: 4 } }, async (sim) => {
      const before = Date.now();
      const raw = await call(sim, '/v1/chat/completions', CHAT(sim, { max_tokens: 30, stream_options: { include_usage: true } }), { 'x-request-id': 'req-42' });
      const usage = decode('vllm', 'chat', true, raw.text).find((e) => e.usage)?.usage;
      const [entry] = sim.trace;
      expect(entry).toMatchObject({ requestId: 'req-42', engine: 'vllm', path: '/v1/chat/completions', outcome: 'ok' });
      // role, one chunk per token but the last, finish, usage, [DONE]
      expect(entry!.chunksAtMs).toHaveLength((usage?.completionTokens ?? 0) + 3);
      const times = [entry!.arrivedAtMs, entry!.headersAtMs!, ...entry!.chunksAtMs];
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(entry!.arrivedAtMs).toBeGreaterThanOrEqual(before - 50);
      expect(entry!.chunksAtMs.at(-1)!).toBeLessThanOrEqual(Date.now() + 50);
      // That the writes follow the engine's decode steps in time is a millisecond bound: it is
      // asserted in test/timing/sim-decode-steps.test.ts, where no other test competes for the CPU.
      expect(raw.text).toContain(`"id":"chatcmpl-req-42"`);
    });
  });

  it('records one write per token event on TGI /generate_stream', async () => {
    await withSim('tgi', {}, async (sim) => {
      const raw = await call(sim, '/generate_stream', { inputs: 'Hi', parameters: { max_new_tokens: 12, details: true } });
      expect(decode('tgi', 'generate', true, raw.text).filter((e) => e.tokens === 1)).toHaveLength(12);
      expect(sim.trace[0]!.chunksAtMs).toHaveLength(12);
      expect(sim.trace[0]!.requestId).toBe('tgi-1');
    });
  });
});

describe('faults', () => {
  it('cut: the socket is destroyed when the token is due, after the earlier writes', async () => {
    await withSim('vllm', { faults: [{ midStream: { atToken: 5, kind: 'cut' } }] }, async (sim) => {
      const raw = await call(sim, '/v1/chat/completions', CHAT(sim, { max_tokens: 50 }));
      expect(raw.status).toBe(200);
      expect(raw.error).toBeDefined();
      const text = decode('vllm', 'chat', true, raw.text).map((e) => e.text ?? '').join('');
      expect(text.length).toBeGreaterThan(0);
      expect(sim.trace[0]).toMatchObject({ outcome: 'cut' });
      expect(sim.trace[0]!.chunksAtMs).toHaveLength(6); // role + tokens 0..4
      await until(() => sim.scheduler.snapshot().running === 0);
    });
  });

  it('stall: that write and every later one waits, pacing is kept, the answer completes', async () => {
    await withSim('tgi', { profile: { decodeStepBaseMs: 3 }, faults: [{ midStream: { atToken: 4, kind: 'stall', stallMs: 150 } }] }, async (sim) => {
      const raw = await call(sim, '/generate_stream', { inputs: 'Hi', parameters: { max_new_tokens: 10, details: true } });
      const events = decode('tgi', 'generate', true, raw.text);
      expect(events.at(-1)?.finishReason).toBe('length');
      const chunks = sim.trace[0]!.chunksAtMs;
      expect(sim.trace[0]!.outcome).toBe('ok-stalled');
      expect(chunks[4]! - chunks[3]!).toBeGreaterThan(140);
      for (let i = 5; i < chunks.length; i += 1) expect(chunks[i]! - chunks[i - 1]!).toBeLessThan(100);
    });
  });

  it('malformed: one message that is not JSON, then the stream ends', async () => {
    await withSim('llamacpp', { faults: [{ midStream: { atToken: 3, kind: 'malformed' } }] }, async (sim) => {
      const raw = await call(sim, '/v1/chat/completions', CHAT(sim, { max_tokens: 50 }));
      expect(raw.error).toBeUndefined();
      expect(() => decode('llamacpp', 'chat', true, raw.text)).toThrow(MalformedChunkError);
      expect(raw.text).not.toContain('[DONE]');
      expect(sim.trace[0]!.outcome).toBe('malformed');
    });
  });

  it('error-event on TGI /generate_stream: {"error","error_type":"generation"} after output', async () => {
    await withSim('tgi', { faults: [{ midStream: { atToken: 3, kind: 'error-event' } }] }, async (sim) => {
      const raw = await call(sim, '/generate_stream', { inputs: 'Hi', parameters: { max_new_tokens: 20 } });
      const errors = decode('tgi', 'generate', true, raw.text).filter((e) => e.kind === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.error).toMatchObject({ type: 'generation', classification: 'server_error_midstream' });
    });
  });

  it('reset: the connection is reset before any header', async () => {
    await withSim('ollama', { faults: [{ beforeHeaders: { kind: 'reset' } }] }, async (sim) => {
      await expect(fetch(sim.url + '/api/chat', { method: 'POST', body: JSON.stringify(CHAT(sim)) })).rejects.toThrow();
      expect(sim.trace[0]).toMatchObject({ outcome: 'reset', headersAtMs: null, chunksAtMs: [] });
    });
  });

  it('http 429 with Retry-After, in the engine error shape', async () => {
    const fault: RequestFaults = { beforeHeaders: { kind: 'http', status: 429, retryAfterS: 2 } };
    await withSim('vllm', { faults: [fault] }, async (sim) => {
      const raw = await call(sim, '/v1/chat/completions', CHAT(sim));
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('2');
      expect(findEngine('vllm')!.classifyHttpError(raw.status, raw.text).classification).toBe('overloaded');
      expect(sim.trace[0]!.outcome).toBe('http-429');
    });
  });

  it('headerDelayMs holds the response headers back', async () => {
    await withSim('vllm', { faults: [{ headerDelayMs: 120 }] }, async (sim) => {
      await call(sim, '/v1/chat/completions', CHAT(sim, { max_tokens: 3 }));
      const entry = sim.trace[0]!;
      expect(entry.headersAtMs! - entry.arrivedAtMs).toBeGreaterThanOrEqual(110);
      expect(entry.outcome).toBe('ok');
    });
  });

  it('non-streamed: error-event becomes the engine HTTP error, cut drops the connection', async () => {
    await withSim('tgi', { faults: [{ midStream: { atToken: 2, kind: 'error-event' } }, { midStream: { atToken: 2, kind: 'cut' } }] }, async (sim) => {
      const failed = await call(sim, '/generate', { inputs: 'Hi', parameters: { max_new_tokens: 20 } });
      expect(failed.status).toBe(424);
      expect(JSON.parse(failed.text)).toMatchObject({ error_type: 'generation' });
      await expect(fetch(sim.url + '/generate', { method: 'POST', body: JSON.stringify({ inputs: 'Hi', parameters: { max_new_tokens: 20 } }) })).rejects.toThrow();
      expect(sim.trace.map((t) => t.outcome)).toEqual(['error-event', 'cut']);
    });
  });
});

describe('load and disconnects', () => {
  // One slot, one waiting place, 20 ms steps: the third concurrent request finds the queue full.
  const busy: SimSetup = { profile: { maxBatch: 1, maxQueue: 1, decodeStepBaseMs: 20 } };

  async function fillQueue(sim: RunningSim, path: string, body: unknown): Promise<AbortController> {
    const stop = new AbortController();
    void call(sim, path, body, {}, stop.signal).catch(() => undefined);
    await until(() => sim.scheduler.snapshot().running === 1);
    void call(sim, path, body, {}, stop.signal).catch(() => undefined);
    await until(() => sim.scheduler.snapshot().waiting === 1);
    return stop;
  }

  it('TGI: a full queue answers 429 overloaded, or HTTP 200 and one error event when streaming', async () => {
    await withSim('tgi', busy, async (sim) => {
      const stop = await fillQueue(sim, '/generate_stream', { inputs: 'Hi', parameters: { max_new_tokens: 50 } });
      const plain = await call(sim, '/generate', { inputs: 'Hi', parameters: { max_new_tokens: 5 } });
      expect(plain.status).toBe(429);
      expect(JSON.parse(plain.text)).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
      const streamed = await call(sim, '/generate_stream', { inputs: 'Hi', parameters: { max_new_tokens: 5 } });
      expect(streamed.status).toBe(200);
      expect(decode('tgi', 'generate', true, streamed.text)).toEqual([
        { kind: 'error', error: { message: 'Model is overloaded', type: 'overloaded', classification: 'overloaded' } },
      ]);
      stop.abort();
    });
  });

  it('Ollama: a full queue answers 503 server busy', async () => {
    await withSim('ollama', busy, async (sim) => {
      const stop = await fillQueue(sim, '/api/chat', CHAT(sim));
      const raw = await call(sim, '/api/chat', CHAT(sim));
      expect(raw.status).toBe(503);
      expect(JSON.parse(raw.text)).toEqual({ error: 'server busy, please try again.  maximum pending requests exceeded' });
      expect(findEngine('ollama')!.classifyHttpError(503, raw.text).classification).toBe('overloaded');
      stop.abort();
    });
  });

  it('a client that goes away cancels its job in the engine', async () => {
    await withSim('vllm', {}, async (sim) => {
      const stop = new AbortController();
      const response = await fetch(sim.url + '/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify(CHAT(sim, { max_tokens: 5000, ignore_eos: true })),
        headers: { 'content-type': 'application/json' },
        signal: stop.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      stop.abort();
      await until(() => sim.trace.length === 1);
      expect(sim.trace[0]!.outcome).toBe('client-disconnect');
      await until(() => sim.scheduler.snapshot().running === 0);
    });
  });

  it('closing the server ends the streams in flight', async () => {
    const sim = await startSim('llamacpp');
    const pending = call(sim, '/v1/chat/completions', CHAT(sim, { max_tokens: 5000, ignore_eos: true }));
    await until(() => sim.trace.length === 0 && sim.scheduler.snapshot().running === 1);
    await sim.close();
    const raw = await pending;
    expect(raw.error).toBeDefined();
    expect(sim.trace[0]!.outcome).toBe('server-closed');
  });
});

describe('metrics', () => {
  it('serves the exporter on /metrics where the engine has one', async () => {
    await withSim('vllm', {}, async (sim) => {
      const response = await fetch(sim.url + '/metrics');
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('vllm:');
    });
    await withSim('ollama', {}, async (sim) => {
      expect((await fetch(sim.url + '/metrics')).status).toBe(404);
    });
  });
});
