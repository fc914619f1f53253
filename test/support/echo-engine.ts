// A vLLM-like engine on loopback that echoes the credentials it receives into every place an
// engine controls: answer text (split across chunks and long enough to be cut), finish reason,
// native timing keys, error bodies, mid-stream errors, malformed chunks, info and /metrics bodies.
// For tests that no secret, nor a piece of one, is published however an engine echoes it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoEngine {
  url: string;
  /** Chat requests answered so far. */
  requests: () => number;
  close(): Promise<void>;
}

export interface EchoOptions {
  /** Answer the health check with a 500 whose body echoes the credentials. */
  unhealthy?: boolean;
  /** Characters of filler before the echo in answer text, so a text limit cuts the echo in two. */
  textPad?: number;
}

/** Everything the engine was sent that could be secret: the Authorization header and the query. */
function echoOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const query = (req.url ?? '').split('?')[1] ?? '';
  const scheme = /^\S+\s+(.+)$/.exec(auth)?.[1] ?? '';
  const basic = auth.startsWith('Basic ') ? Buffer.from(scheme, 'base64').toString('utf8') : '';
  return [auth, scheme, basic, query, decodeURIComponent(query)].filter((s) => s !== '').join(' | ');
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

export async function startEchoEngine(options: EchoOptions = {}): Promise<EchoEngine> {
  let chats = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const echo = echoOf(req);
      const path = (req.url ?? '/').split('?')[0];
      switch (path) {
        case '/health':
          if (options.unhealthy) return json(res, 500, { error: { message: `not ready for ${echo}`, type: 'X' } });
          return json(res, 200, {});
        case '/version':
          return json(res, 200, { version: `0.11-${echo}` });
        case '/v1/models':
          return json(res, 200, { data: [{ id: 'm', root: `weights-${echo}`, max_model_len: 4096 }] });
        case '/metrics':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(`# TYPE vllm:num_requests_running gauge\nbad-${echo.replace(/\s/g, '')} 1\n`);
        case '/v1/chat/completions':
          return answer(chats++, echo, res);
        default:
          return json(res, 404, { error: 'not found' });
      }
    });
  });

  function answer(n: number, echo: string, res: ServerResponse): void {
    switch (n % 4) {
      case 0: {
        // The echo split across chunks, after filler so the text limit cuts it; and in the tail.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const text = `${'.'.repeat(options.textPad ?? 0)}${echo}`;
        const third = Math.ceil(text.length / 3);
        for (let i = 0; i < text.length; i += third) res.write(chunk({ content: text.slice(i, i + third) }));
        res.write(`data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: {}, finish_reason: `stop ${echo}` }], timings: { [`t ${echo}`]: 1.5 } })}\n\n`);
        res.write(`data: ${JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 3, completion_tokens: 3 } })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      case 1:
        // Not JSON: the error message is the body cut at 500 characters, through the echo.
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${'e'.repeat(480)} ${echo}`);
        return;
      case 2:
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ content: 'hi' }));
        res.end(`data: ${JSON.stringify({ error: { message: `failed for ${echo}`, type: 'X', code: 500 } })}\n\n`);
        return;
      default:
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: not json ${'m'.repeat(170)}${echo}\n\n`);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => chats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every piece of `secret` that must never be published: each run of 12 characters (or the whole). */
export function secretPieces(secret: string, length = 12): string[] {
  if (secret.length <= length) return [secret];
  const out: string[] = [];
  for (let i = 0; i + length <= secret.length; i++) out.push(secret.slice(i, i + length));
  return out;
}
