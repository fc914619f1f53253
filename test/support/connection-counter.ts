// A TCP relay in front of a loopback engine that logs, as the engine's side sees them, every
// connection the collector opens: when it was accepted and which requests it carried. For tests
// that count connections per user; the engine behind it is unchanged.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface ConnectionLog {
  /** performance.now() when the connection was accepted. */
  openedAt: number;
  /** Request lines in the order they came, e.g. "POST /v1/chat/completions", with when each began. */
  requests: { line: string; at: number }[];
}

export interface ConnectionCounter {
  url: string;
  connections: ConnectionLog[];
  /** Connections that carried at least one request to `path`. */
  carrying(path: string): ConnectionLog[];
  /** When the first request to `path` arrived, on any connection; null before. */
  firstRequestAt(path: string): number | null;
  close(): Promise<void>;
}

// Anywhere in the stream: a request line follows the previous request's body, not a line break.
const REQUEST_LINE = /\b(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) (\S+) HTTP\/1\.1\r\n/g;

export async function startConnectionCounter(target: string): Promise<ConnectionCounter> {
  const upstream = new URL(target);
  const connections: ConnectionLog[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const log: ConnectionLog = { openedAt: performance.now(), requests: [] };
    connections.push(log);
    const engine = connect(Number(upstream.port), upstream.hostname);
    open.add(client).add(engine);
    // Request lines are found in what the client sent; a few bytes are kept so a line split
    // between two reads is still found (loopback writes a request's head at once anyway).
    let tail = '';
    client.on('data', (data: Buffer) => {
      const at = performance.now();
      const text = tail + data.toString('latin1');
      let scanned = 0;
      for (const match of text.matchAll(REQUEST_LINE)) {
        log.requests.push({ line: `${match[1]} ${match[2]}`, at });
        scanned = match.index + match[0].length;
      }
      tail = text.slice(Math.max(scanned, text.length - 256));
    });
    client.pipe(engine).pipe(client);
    const end = (): void => {
      client.destroy();
      engine.destroy();
      open.delete(client);
      open.delete(engine);
    };
    client.on('close', end).on('error', end);
    engine.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pathOf = (line: string): string => (line.split(' ')[1] ?? '').split('?')[0]!;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    carrying: (path) => connections.filter((c) => c.requests.some((r) => pathOf(r.line) === path)),
    firstRequestAt: (path) => {
      const times = connections.flatMap((c) => c.requests.filter((r) => pathOf(r.line) === path).map((r) => r.at));
      return times.length === 0 ? null : Math.min(...times);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
