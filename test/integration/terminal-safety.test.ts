// An engine's bytes never drive the terminal: escape sequences and control characters in what it
// says about itself, or in why it is not ready, are removed before anything is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { captureIO } from '../support/capture-io.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

// Retitles the window, clears the screen, rings the bell, moves the cursor and reverses the text.
const HOSTILE = '\u001b]0;owned\u0007\u001b[2J\u0007\u001b[10A\u202eevil\u009b31m\r';
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal safety', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    const json = (body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    server = await startScriptedServer({
      '/health': json({}),
      '/version': json({ version: `0.9${HOSTILE}` }),
      '/v1/models': json({ data: [{ id: `model${HOSTILE}`, max_model_len: 4096 }] }),
      '/sick/health': (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `loading${HOSTILE}` }));
      },
    });
  });
  afterAll(() => server.close());

  it('`engines` prints what the engine says about itself without its escape sequences', async () => {
    const io = captureIO(process.cwd());
    expect(await main(['engines', '--engine', `vllm=${server.url}`], io)).toBe(0);
    expect(io.out()).toContain('0.9');
    expect(io.out()).toContain('evil');
    expect(io.out() + io.err()).not.toMatch(CONTROL);
  });

  it('an engine that is not ready is reported without its escape sequences', async () => {
    const io = captureIO(process.cwd());
    expect(await main(['engines', '--engine', `vllm=${server.url}/sick`], io)).toBe(3);
    expect(io.err()).toContain('loading');
    expect(io.out() + io.err()).not.toMatch(CONTROL);
  });
});
