// A loopback server whose behaviour per path is a small script: for error-kind tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour = (req: IncomingMessage, res: ServerResponse, socket: Socket) => void;

export interface ScriptedServer {
  url: string;
  close(): Promise<void>;
}

export async function startScriptedServer(routes: Record<string, Behaviour>): Promise<ScriptedServer> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const behaviour = routes[(req.url ?? '/').split('?')[0]!];
      if (behaviour) behaviour(req, res, req.socket);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sse = (res: ServerResponse, events: string[]): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`data: ${e}\n\n`);
};

export const chunk = (text: string): string =>
  JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
export const finish = (reason = 'stop'): string =>
  JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: reason }] });
