// A loopback HTTP server that replays a wire transcript with chosen delays between events,
// and records when it actually wrote each one (the ground truth for timing assertions).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export const PROTOCOLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'protocols');

export interface ReplayRoute {
  /** Transcript file name in test/fixtures/protocols. */
  transcript: string;
  contentType: string;
  status?: number;
  /** Delay before the first event, in ms after the request arrived. */
  firstDelayMs: number;
  /** Delay between consecutive events. */
  gapMs: number;
}

export interface ServedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() when the request body was complete. */
  arrivedAt: number;
  /** performance.now() right after each event was handed to the socket. */
  writtenAt: number[];
}

export interface ReplayServer {
  url: string;
  served: ServedRequest[];
  close(): Promise<void>;
}

/** Splits a transcript into the units an engine writes at once: SSE events or NDJSON lines. */
export function splitTranscript(text: string): string[] {
  if (text.includes('\n\n')) {
    const parts = text.split(/(?<=\n\n)/);
    return parts.filter((p) => p.length > 0);
  }
  return text.split(/(?<=\n)/).filter((p) => p.length > 0);
}

export async function startReplayServer(
  routes: Record<string, ReplayRoute>,
  info: Record<string, unknown> = {},
): Promise<ReplayServer> {
  const served: ServedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = performance.now();
      const path = (req.url ?? '/').split('?')[0]!;
      const route = req.method === 'POST' ? routes[path] : undefined;
      if (!route) {
        const body = info[path];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body === undefined ? '{}' : JSON.stringify(body));
        return;
      }
      const record: ServedRequest = {
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        arrivedAt,
        writtenAt: [],
      };
      served.push(record);
      const events = splitTranscript(readFileSync(join(PROTOCOLS_DIR, route.transcript), 'utf8'));
      res.writeHead(route.status ?? 200, { 'content-type': route.contentType });
      res.flushHeaders();
      let index = 0;
      // Absolute schedule (arrival + offset), so timer lateness never accumulates.
      const writeNext = (): void => {
        if (res.destroyed) return;
        res.write(events[index]!);
        record.writtenAt.push(performance.now());
        index += 1;
        if (index >= events.length) {
          res.end();
          return;
        }
        schedule();
      };
      const schedule = (): void => {
        const due = arrivedAt + route.firstDelayMs + index * route.gapMs;
        setTimeout(writeNext, Math.max(0, due - performance.now()));
      };
      schedule();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
