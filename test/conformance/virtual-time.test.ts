// The server on a virtual clock with a fixed-pace scheduler: time moves only when the test says,
// so the ground truth is exact to the millisecond. Shows TGI's 15 s keep-alive comment while a
// request waits for its first token, and the offsets a stall adds to every later write.
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock, type VirtualClock } from '../../collector/sim/model/clocks.ts';
import { PROFILES } from '../../collector/sim/model/profiles.ts';
import { startSimEngine, type SimEngine } from '../../collector/sim/server.ts';
import { createTraceMemory } from '../../collector/sim/trace.ts';
import type { RequestFaults, SimKind, TraceEntry } from '../../collector/sim/types.ts';
import { createPaceScheduler } from '../support/pace-scheduler.ts';
import { scriptedFaults } from './harness.ts';

let engine: SimEngine | undefined;
afterEach(async () => engine?.close());

async function start(kind: SimKind, clock: VirtualClock, faults: RequestFaults[] = []): Promise<{ url: string; trace: TraceEntry[] }> {
  const trace = createTraceMemory();
  const scheduler = createPaceScheduler({ clock, firstTokenMs: 20_000, intervalMs: 1000 });
  engine = await startSimEngine({ kind, port: 0, model: 'm', seed: 1, scheduler, profile: PROFILES[kind], clock, trace, faults: scriptedFaults(faults) });
  return { url: engine.url, trace: trace.entries };
}

/** Reads whatever the server has written so far (it writes synchronously inside advanceTo). */
async function readNow(reader: ReadableStreamDefaultReader<Uint8Array>, expectText: (text: string) => boolean): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  while (!expectText(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('virtual time', () => {
  it('TGI sends the ":" keep-alive after 15 s without an event, and the trace has exact offsets', async () => {
    const clock = virtualClock();
    const { url, trace } = await start('tgi', clock);
    const response = await fetch(`${url}/generate_stream`, { method: 'POST', body: JSON.stringify({ inputs: 'Hi', parameters: { max_new_tokens: 3 } }) });
    const reader = response.body!.getReader();
    clock.advanceTo(15_000);
    expect(await readNow(reader, (t) => t.length > 0)).toBe(':\n\n');
    clock.advanceTo(22_000);
    const rest = await readNow(reader, (t) => t.includes('generated_text":"'));
    expect(rest.match(/^data: /gm)).toHaveLength(3);
    expect((await reader.read()).done).toBe(true);
    const [entry] = trace;
    expect(entry!.outcome).toBe('ok');
    expect(entry!.headersAtMs! - entry!.arrivedAtMs).toBe(0);
    expect(entry!.chunksAtMs.map((t) => Math.round(t - entry!.arrivedAtMs))).toEqual([15_000, 20_000, 21_000, 22_000]);
  });

  it('a stall shifts that write and every later one by stallMs, keeping the pace', async () => {
    const clock = virtualClock();
    const { url, trace } = await start('vllm', clock, [{ midStream: { atToken: 2, kind: 'stall', stallMs: 5000 } }]);
    const body = { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, stream: true };
    const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const reader = response.body!.getReader();
    clock.advanceTo(30_000);
    await readNow(reader, (t) => t.includes('[DONE]'));
    const [entry] = trace;
    expect(entry!.outcome).toBe('ok-stalled');
    // role + token 0 at 20 s, token 1 at 21 s; tokens 2 and 3 (+ finish, [DONE]) 5 s late.
    expect(entry!.chunksAtMs.map((t) => Math.round(t - entry!.arrivedAtMs))).toEqual([20_000, 20_000, 21_000, 27_000, 28_000, 28_000]);
  });
});
