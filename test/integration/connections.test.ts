// Connections as a user holds them: a closed loop opens one per user before its clock starts and
// reuses it; --cold-connections opens one per request; an open loop stays within its in-flight
// cap. Counted on the engine's side of a relay in front of the simulator, and in the records.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { openPhaseConnections } from '../../collector/collect/phase-connections.ts';
import { vllm } from '../../collector/engines/vllm.ts';
import { createDispatcher } from '../../collector/http/dispatcher.ts';
import { streamRequest } from '../../collector/http/stream-request.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import type { RequestRecord, Run } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';
import { startConnectionCounter, type ConnectionCounter } from '../support/connection-counter.ts';
import { startScriptedServer } from '../support/scripted-server.ts';

const CHAT = '/v1/chat/completions';
const FAST = { decodeStepBaseMs: 1, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001 };

describe('connections per user', () => {
  let tmp: string;
  let sim: Simulation;
  let counter: ConnectionCounter;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-connections-'));
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 11, overrides: FAST });
  });
  afterAll(async () => {
    await sim.close();
    await rm(tmp, { recursive: true, force: true });
  });
  // A relay per test, so each test counts only its own connections.
  beforeEach(async () => {
    counter = await startConnectionCounter(sim.engines[0]!.url);
  });
  afterEach(async () => {
    await counter.close();
  });

  const collect = async (args: string[]): Promise<{ run: Run; records: RequestRecord[] }> => {
    const io = captureIO(tmp);
    // One scrape, before the phase: no control connection can be mistaken for a user's.
    const code = await main(['collect', '--engine', `vllm=${counter.url}`, '--model', sim.engines[0]!.model, '--max-tokens', '8', '--scrape-interval', '600', '--out', tmp, '--json', '--quiet', ...args], io);
    expect(code, io.err()).toBe(0);
    const dir = (JSON.parse(io.out().trim().split('\n').at(-1)!) as { runDir: string }).runDir;
    const records: RequestRecord[] = [];
    for await (const record of readRequests(dir)) records.push(record);
    return { run: await readRun(dir), records };
  };

  it('opens exactly one connection per user of a closed loop, all before the first measured request, and reuses them', async () => {
    const { run, records } = await collect(['--concurrency', '8', '--requests', '80']);
    const users = counter.carrying(CHAT);
    expect(users).toHaveLength(8);
    // Each was opened by the unmeasured warm-up (a GET of the health path) before any chat request.
    for (const connection of users) expect(connection.requests[0]!.line).toBe('GET /health');
    // None opened once the phase began but the collector's own: the final /metrics scrape may
    // open one if the engine closed the scraper's idle connection.
    const firstChat = counter.firstRequestAt(CHAT)!;
    const later = counter.connections.filter((c) => c.openedAt > firstChat);
    expect(later.flatMap((c) => c.requests.map((r) => r.line)).filter((line) => line !== 'GET /metrics')).toEqual([]);
    expect(users.reduce((n, c) => n + c.requests.filter((r) => r.line === `POST ${CHAT}`).length, 0)).toBe(80);
    expect(records).toHaveLength(80);
    expect(records.every((r) => r.newConnection === false)).toBe(true);
    const phase = run.engines[0]!.phases[0]!;
    expect(phase.newConnections).toBe(0);
    expect(phase.ttftReusedMs).toBeUndefined();
    expect(run.warnings.join('\n')).not.toContain('connections were open');
  });

  it('gives each phase a pool of its own size: a sweep of 2 then 5 users opens 2 then 5', async () => {
    const { records } = await collect(['--concurrency', '2,5', '--requests', '30']);
    const users = counter.carrying(CHAT).sort((a, b) => a.openedAt - b.openedAt);
    expect(users).toHaveLength(7);
    for (const connection of users) expect(connection.requests[0]!.line).toBe('GET /health');
    // The first phase's 2 carried its requests and were done before the second phase's 5 began.
    const chats = (c: (typeof users)[number]) => c.requests.filter((r) => r.line === `POST ${CHAT}`).map((r) => r.at);
    const firstPhaseEnd = Math.max(...users.slice(0, 2).flatMap(chats));
    expect(Math.min(...users.slice(2).flatMap(chats))).toBeGreaterThan(firstPhaseEnd);
    expect(users.slice(0, 2).flatMap(chats)).toHaveLength(30);
    expect(records.filter((r) => r.phase === records[0]!.phase)).toHaveLength(30);
    expect(records.every((r) => r.newConnection === false)).toBe(true);
  });

  it('opens a new connection for every request with --cold-connections, and the records say so', async () => {
    const { run, records } = await collect(['--concurrency', '4', '--requests', '24', '--cold-connections']);
    const carriers = counter.carrying(CHAT);
    expect(carriers).toHaveLength(24);
    for (const connection of carriers) expect(connection.requests.map((r) => r.line)).toEqual([`POST ${CHAT}`]);
    expect(records).toHaveLength(24);
    expect(records.every((r) => r.newConnection === true)).toBe(true);
    expect(run.engines[0]!.phases[0]!.newConnections).toBe(24);
    expect(run.scenario['coldConnections']).toBe(true);
  });

  it('takes coldConnections from the config file, and --dry-run says how connections are held', async () => {
    const file = join(tmp, 'cold.yaml');
    await writeFile(file, 'coldConnections: true\n');
    const dryRun = async (args: string[]): Promise<string> => {
      const io = captureIO(tmp);
      expect(await main(['collect', '--engine', `vllm=${counter.url}`, '--model', 'm', '--dry-run', ...args], io), io.err()).toBe(0);
      return io.out();
    };
    expect(await dryRun(['--config', file])).toContain('connections: a new one for every request');
    expect(await dryRun([])).toContain('connections: one per closed-loop user, opened before each phase and reused');
    expect(counter.connections).toEqual([]);
  });

  it('keeps an open loop within its in-flight cap', async () => {
    const { run, records } = await collect(['--rate', '400', '--arrival', 'constant', '--max-in-flight', '3', '--requests', '40']);
    expect(counter.carrying(CHAT).length).toBeLessThanOrEqual(3);
    expect(counter.carrying(CHAT).length).toBeGreaterThan(0);
    // Not warmed: the requests that opened the connections say so, and only they.
    const opened = records.filter((r) => r.newConnection === true).length;
    expect(opened).toBe(counter.carrying(CHAT).length);
    expect(records.every((r) => r.newConnection !== null && r.newConnection !== undefined)).toBe(true);
    const phase = run.engines[0]!.phases[0]!;
    expect(phase.newConnections).toBe(records.filter((r) => !r.warmup && r.newConnection === true).length);
  });
});

describe('a phase whose connections cannot all be opened', () => {
  it('says how many were open before it began, and why not the others', async () => {
    // An engine that closes every connection after answering its health check.
    const server = await startScriptedServer({
      '/health': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end('{}');
      },
    });
    const connections = await openPhaseConnections(
      { url: new URL(server.url), headers: {}, tls: { insecure: false }, adapter: vllm },
      { cap: 3, warm: 3, cold: false },
      5000,
    );
    try {
      expect(connections.warmed).toBe(0);
      expect(connections.problem).toBe(
        '0 of 3 connections were open before the phase (GET /health: the engine closed connections after answering); requests that opened the others say so (newConnection) and their TTFT includes the handshake',
      );
    } finally {
      await connections.close();
      await server.close();
    }
  });
});

describe('streamRequest', () => {
  let sim: Simulation;
  beforeAll(async () => {
    sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 12, overrides: FAST });
  });
  afterAll(() => sim.close());

  const send = (dispatcher: ReturnType<typeof createDispatcher>, closeConnection = false) => {
    const engine = sim.engines[0]!;
    const api = vllm.apis[0]!;
    return streamRequest({
      dispatcher,
      base: new URL(engine.url),
      call: vllm.buildRequest(api, { model: engine.model, messages: [{ role: 'user', content: 'hi' }], maxTokens: 4, temperature: 0, seed: 1, forceOutputLength: true, stream: true }),
      headers: {},
      decoder: vllm.createDecoder(api, true),
      classifyHttpError: vllm.classifyHttpError,
      now: () => performance.now(),
      timeouts: { ttftMs: 5000, idleMs: 5000, totalMs: 10_000 },
      textLimit: 100,
      closeConnection,
    });
  };

  it('says a request opened its connection only when it was the first on its socket', async () => {
    const dispatcher = createDispatcher({ insecure: false }, 5000, { connections: 1 });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(await send(dispatcher));
      expect(outcomes.map((o) => [o.completed, o.newConnection])).toEqual([
        [true, true],
        [true, false],
        [true, false],
      ]);
    } finally {
      await dispatcher.close();
    }
  });

  it('closes the connection after each request that asks to, so the next opens its own', async () => {
    const dispatcher = createDispatcher({ insecure: false }, 5000, { connections: 1 });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(await send(dispatcher, true));
      expect(outcomes.map((o) => [o.completed, o.newConnection])).toEqual([
        [true, true],
        [true, true],
        [true, true],
      ]);
    } finally {
      await dispatcher.close();
    }
  });

  it('records no connection for a request that could not open one', async () => {
    const dispatcher = createDispatcher({ insecure: false }, 5000);
    try {
      const closed = await startConnectionCounter(sim.engines[0]!.url);
      const url = closed.url;
      await closed.close();
      const outcome = await streamRequest({
        dispatcher,
        base: new URL(url),
        call: { method: 'POST', path: CHAT, body: {} },
        headers: {},
        decoder: vllm.createDecoder(vllm.apis[0]!, true),
        classifyHttpError: vllm.classifyHttpError,
        now: () => performance.now(),
        timeouts: { ttftMs: 5000, idleMs: 5000, totalMs: 10_000 },
        textLimit: 100,
      });
      expect(outcome.error?.kind).toBe('connection_refused');
      expect(outcome.newConnection).toBeNull();
    } finally {
      await dispatcher.close();
    }
  });
});
