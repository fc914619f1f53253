// An engine that misbehaves on purpose cannot take the collector down: every hostile answer ends
// as a recorded failure (or, for a complete answer on a connection kept open, as ok) well within
// its timeout, memory stays bounded, and the run reads back valid.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { main } from '../../collector/cli.ts';
import type { EngineAdapter } from '../../collector/engines/engine.ts';
import { ollama } from '../../collector/engines/ollama.ts';
import { tgi } from '../../collector/engines/tgi.ts';
import { vllm } from '../../collector/engines/vllm.ts';
import { makeFetcher, MAX_INFO_BODY_BYTES } from '../../collector/http/fetch-text.ts';
import { MAX_EVENTS_KEPT, MAX_NATIVE_FIELDS, streamRequest, type StreamOutcome, type Timeouts } from '../../collector/http/stream-request.ts';
import { toRecord } from '../../collector/collect/request-record.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import { RequestRecord } from '../../collector/store/schema/index.ts';
import type { ErrorKind } from '../../collector/store/schema/index.ts';
import { startScraper } from '../../collector/scrape/scraper.ts';
import { captureIO } from '../support/capture-io.ts';
import { startHostileServer, type HostileMode, type HostileServer } from '../support/hostile-server.ts';
import { runChild } from '../support/run-child.ts';

// Long enough that a cap, not a timeout, must be what ends each hostile answer.
const TIMEOUTS: Timeouts = { ttftMs: 30_000, idleMs: 30_000, totalMs: 60_000 };

describe('hostile engines, one request at a time', () => {
  let server: HostileServer;
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  beforeAll(async () => {
    server = await startHostileServer();
  });
  afterAll(async () => {
    await dispatcher.close();
    await server.close();
  });

  const send = (mode: HostileMode, adapter: EngineAdapter, api: string, stream: boolean): Promise<StreamOutcome> =>
    streamRequest({
      dispatcher,
      base: new URL(`${server.url}/${mode}`),
      call: adapter.buildRequest(api, {
        model: 'hostile-model',
        messages: [{ role: 'user', content: 'hi' }],
        maxTokens: 8,
        temperature: 0,
        forceOutputLength: false,
        stream,
      }),
      headers: {},
      decoder: adapter.createDecoder(api, stream),
      classifyHttpError: adapter.classifyHttpError,
      now: () => performance.now(),
      timeouts: TIMEOUTS,
      textLimit: 1000,
    });

  /** The outcome becomes a record the reader's own schema accepts. */
  const expectValidRecord = (outcome: StreamOutcome): RequestRecord => {
    const record = toRecord(outcome, { seq: 0, engine: 'e', phase: 'p', warmup: false, promptId: 'x', origin: outcome.sentAt, scheduledAt: outcome.sentAt, maxTokens: 8 });
    const parsed = RequestRecord.safeParse(JSON.parse(JSON.stringify(record)));
    expect(parsed.success, parsed.error?.message).toBe(true);
    return record;
  };

  const cases: [HostileMode, EngineAdapter, string, boolean, ErrorKind, RegExp][] = [
    ['sse-endless-line', vllm, 'chat', true, 'too_large', /1 MiB .*cap on one pending line/],
    ['ndjson-endless-line', ollama, 'chat', true, 'too_large', /NDJSON line longer than 1 MiB/],
    ['endless-body', vllm, 'chat', false, 'too_large', /larger than 16 MiB \(cap on a buffered body\)/],
    ['endless-body', ollama, 'chat', false, 'too_large', /cap on a buffered body/],
    ['huge-string', vllm, 'chat', true, 'too_large', /cap on one pending line/],
    ['huge-string', tgi, 'generate', false, 'too_large', /cap on a buffered body/],
    ['nul-bytes', vllm, 'chat', true, 'too_large', /cap on one pending line/],
    ['keepalive-flood', vllm, 'chat', true, 'too_large', /without completing an SSE event/],
    ['data-lines-flood', tgi, 'generate', true, 'too_large', /without completing an SSE event/],
    ['endless-headers', vllm, 'chat', true, 'too_large', /header/i],
  ];
  for (const [mode, adapter, api, stream, kind, message] of cases) {
    it(`cuts off ${mode} (${adapter.kind} ${api}${stream ? '' : ', not streamed'}) as ${kind} before any timeout and closes the socket`, async () => {
      const outcome = await send(mode, adapter, api, stream);
      expect(outcome.error?.kind).toBe(kind);
      expect(outcome.error?.message).toMatch(message);
      expect(outcome.completed).toBe(false);
      expect(outcome.endMs!).toBeLessThan(TIMEOUTS.ttftMs);
      expectValidRecord(outcome);
      // The server's writer stops only when the client closed the connection.
      await server.settled();
    });
  }

  it('keeps 64 native timings of short names however many new names an engine sends', async () => {
    const outcome = await send('native-names-flood', vllm, 'chat', true);
    expect(outcome.error).toBeNull();
    expect(outcome.completed).toBe(true);
    expect(Object.keys(outcome.native!)).toEqual(Array.from({ length: MAX_NATIVE_FIELDS }, (_, i) => `t${i}`));
    expectValidRecord(outcome);
  });

  const firehoses: [EngineAdapter, string][] = [
    [vllm, 'chat'],
    [ollama, 'chat'],
    [tgi, 'generate'],
  ];
  for (const [adapter, api] of firehoses) {
    it(`keeps ${MAX_EVENTS_KEPT} events of the ${adapter.kind} firehose, totals the rest, and stops it at the response cap`, async () => {
      const outcome = await send('firehose', adapter, api, true);
      expect(outcome.error?.kind).toBe('too_large');
      expect(outcome.error?.message).toMatch(/more than 64 MiB in one response \(cap on a response\)/);
      expect(outcome.events).toHaveLength(MAX_EVENTS_KEPT);
      const omitted = outcome.eventsOmitted!;
      expect(omitted.count).toBeGreaterThan(0);
      expect(omitted.textEvents).toBe(omitted.count);
      expect(omitted.textChars).toBe(omitted.count);
      expect(omitted.lastMs).toBeGreaterThanOrEqual(omitted.firstMs);
      expect(omitted.lastTextMs).toBe(omitted.lastMs);
      expect(outcome.textEvents).toBe(MAX_EVENTS_KEPT + omitted.count);
      expect(outcome.text).toHaveLength(1000);
      const record = expectValidRecord(outcome);
      // Counts include what was not kept one by one.
      expect(record.outputTokens).toBe(MAX_EVENTS_KEPT + omitted.count);
      expect(record.eventsOmitted).toEqual(omitted);
      if (adapter === tgi) expect(omitted.tokens).toBe(omitted.count);
      await server.settled();
    });
  }

  const terminal: [EngineAdapter, string, string][] = [
    [vllm, 'chat', '[DONE]'],
    [ollama, 'chat', 'done: true'],
    [tgi, 'generate', 'final details'],
  ];
  for (const [adapter, api, marker] of terminal) {
    it(`finishes the ${adapter.kind} answer at its ${marker} though the server keeps the connection open, then closes it`, async () => {
      const outcome = await send('open-after-done', adapter, api, true);
      expect(outcome.error).toBeNull();
      expect(outcome.completed).toBe(true);
      expect(outcome.text).toBe('Hi there');
      // The end is the terminal event's arrival, nowhere near the idle timeout.
      expect(outcome.endMs!).toBeLessThan(TIMEOUTS.idleMs / 10);
      expect(expectValidRecord(outcome).status).toBe('ok');
      // The collector, not the server, closes the connection the server would hold forever.
      await server.settled();
    });
  }

  it('finishes a whole (not streamed) answer at its end, as before', async () => {
    const outcome = await send('well-behaved', ollama, 'chat', false);
    expect(outcome.error).toBeNull();
    expect(outcome.text).toBe('Hi there');
  });

  it('records an answer with invalid UTF-8 as ok, with replacement characters for the bad bytes', async () => {
    const outcome = await send('invalid-utf8', vllm, 'chat', true);
    expect(outcome.error).toBeNull();
    expect(outcome.completed).toBe(true);
    expect(outcome.text.startsWith('Hi')).toBe(true);
    expect(outcome.text.endsWith(' there')).toBe(true);
    expect(outcome.text).toContain('\uFFFD');
    expectValidRecord(outcome);
  });

  it('fails an info call whose body never ends, naming the cap, and closes its socket', async () => {
    const fetcher = makeFetcher(dispatcher, new URL(`${server.url}/endless-info`), {}, TIMEOUTS.totalMs);
    await expect(fetcher({ method: 'GET', path: '/v1/models' })).rejects.toThrow(
      `GET /v1/models answered more than ${MAX_INFO_BODY_BYTES / 1024 / 1024} MiB (cap on an info, health or metrics body)`,
    );
    await server.settled();
  });

  it('turns an endless info body into a problem the engine description records, not a crash', async () => {
    const fetcher = makeFetcher(dispatcher, new URL(`${server.url}/endless-info`), {}, TIMEOUTS.totalMs);
    const info = await tgi.describe(fetcher, 'hostile-model');
    expect(info.problems).toEqual([expect.stringMatching(/^GET \/info: GET \/info answered more than 8 MiB/)]);
    await server.settled();
  });

  for (const kind of ['vllm', 'ollama']) {
    it(`counts an endless ${kind === 'ollama' ? '/api/ps' : '/metrics'} body as a failed scrape and goes on`, async () => {
      const fetcher = makeFetcher(dispatcher, new URL(`${server.url}/endless-metrics`), {}, TIMEOUTS.totalMs);
      const scraper = startScraper({ kind, fetcher, intervalMs: 60_000, now: () => performance.now(), origin: performance.now() });
      await scraper.ready;
      const metrics = await scraper.stop();
      expect(metrics).toMatchObject({ scrapes: 2, failures: 2 });
      expect(metrics?.lastError).toMatch(/answered more than 8 MiB \(cap on an info, health or metrics body\)/);
      await server.settled();
    });
  }
});

const lastJson = (out: string): { runId: string; runDir: string; status: string; errorsByKind: Record<string, number> } =>
  JSON.parse(out.trim().split('\n').at(-1)!);

const TIMEOUT_FLAGS = ['--ttft-timeout', '30', '--idle-timeout', '30', '--timeout', '60'];

async function readAll(runDir: string): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  for await (const record of readRequests(runDir)) records.push(record);
  return records;
}

describe('hostile engines through servebench collect', () => {
  let tmp: string;
  let server: HostileServer;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-hostile-'));
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const collect = async (engines: string[]) => {
    const io = captureIO(tmp);
    const args = ['collect', ...engines.flatMap((e) => ['--engine', e]), '--model', 'hostile-model', '--requests', '2', '--concurrency', '2'];
    const code = await main([...args, ...TIMEOUT_FLAGS, '--out', join(tmp, 'runs'), '--quiet', '--json'], io);
    return { code, io };
  };

  it('records endless lines as too_large, endless info and metrics bodies as problems, and writes a valid run', async () => {
    const { code, io } = await collect([
      `vllm=${server.url}/sse-endless-line`,
      `ollama=${server.url}/ndjson-endless-line`,
      `tgi=${server.url}/keepalive-flood`,
      `vllm=${server.url}/endless-info`,
      `vllm=${server.url}/endless-metrics`,
    ]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const { runDir } = lastJson(io.out());
    const run = await readRun(runDir);
    const byEngine = Object.fromEntries(run.engines.map((e) => [e.label, e]));
    for (const label of ['vllm', 'ollama', 'tgi']) {
      expect(byEngine[label]!.phases[0]!.requests).toMatchObject({ total: 2, ok: 0, failed: 2 });
    }
    // The answers of these two are fine: only what they say about themselves is endless.
    expect(byEngine['vllm-2']!.phases[0]!.requests).toMatchObject({ total: 2, ok: 2 });
    expect(JSON.stringify(byEngine['vllm-2'])).toMatch(/GET \/v1\/models answered more than 8 MiB/);
    expect(byEngine['vllm-3']!.phases[0]!.requests).toMatchObject({ total: 2, ok: 2 });
    expect(byEngine['vllm-3']!.phases[0]!.server?.lastError).toMatch(/GET \/metrics answered more than 8 MiB/);
    expect(run.errorsByKind).toEqual({ too_large: 6 });
    expect(await readAll(runDir)).toHaveLength(10);
  });

  it('records complete answers on connections kept open as ok, long before the idle timeout', async () => {
    const { code, io } = await collect([`vllm=${server.url}/open-after-done`, `ollama=${server.url}/open-after-done`, `tgi=${server.url}/open-after-done`]);
    expect(code).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.status).toBe('completed');
    expect(run.errorsByKind).toEqual({});
    for (const engine of run.engines) {
      expect(engine.phases[0]!.requests).toMatchObject({ total: 2, ok: 2, failed: 0 });
      expect(engine.phases[0]!.e2eMs.max!).toBeLessThan(3_000);
    }
  });
});

// /usr/bin/time reports the child's peak RSS (getrusage ru_maxrss), which no sampling can miss.
const TIME = '/usr/bin/time';
const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));
const ONE_GIB = 1024 * 1024 * 1024;

describe('the collector process against floods', () => {
  let tmp: string;
  let server: HostileServer;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-flood-'));
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(TIME))(
    'stays under 1 GiB of peak RSS through four concurrent firehoses, endless bodies and 100 MB strings, streamed and not',
    async () => {
      const engines = ['vllm=firehose', 'vllm=endless-body', 'vllm=huge-string', 'vllm=endless-metrics'];
      const args = ['-v', process.execPath, CLI, 'collect', ...engines.flatMap((e) => ['--engine', e.replace('=', `=${server.url}/`)])];
      args.push('--model', 'hostile-model', '--requests', '4', '--concurrency', '4', '--compare-streaming', ...TIMEOUT_FLAGS);
      args.push('--out', join(tmp, 'runs'), '--quiet', '--json');
      const { code, out, err } = await runChild(TIME, args);
      expect(code, err).toBe(0);
      const peakKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1]);
      console.log(`collector peak RSS against floods: ${(peakKiB / 1024).toFixed(0)} MiB`);
      expect(peakKiB * 1024).toBeLessThan(ONE_GIB);
      const { runDir } = lastJson(out);
      const run = await readRun(runDir);
      // Every generation failed on a cap (the metrics flood only fails scrapes): 3 engines × 2 phases × 4.
      expect(run.errorsByKind).toEqual({ too_large: 24 });
      const records = await readAll(runDir);
      expect(records).toHaveLength(32);
      const streamedFirehose = records.filter((r) => r.engine === 'vllm' && r.events.length === MAX_EVENTS_KEPT);
      expect(streamedFirehose).toHaveLength(4);
      for (const record of streamedFirehose) expect(record.outputTokens).toBe(MAX_EVENTS_KEPT + record.eventsOmitted!.count);
    },
    180_000,
  );
});
