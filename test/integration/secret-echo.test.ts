// No secret is ever published: random tokens and URL credentials go to an engine that echoes them
// into every place it controls, and neither the token nor any 12-character piece of it may appear
// in a run file, on the terminal, or in the built site.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';
import { secretPieces, startEchoEngine, type EchoEngine } from '../support/echo-engine.ts';
import { siteBuild } from '../build/site-build.ts';

const TEXT_LIMIT = 64;
// Each case is a whole collection: a failing one is reported as found, not shrunk over hundreds.

async function textUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let text = '';
  for (const e of entries.filter((x) => x.isFile())) {
    const bytes = await readFile(join(e.parentPath, e.name));
    text += `${e.name}\n${e.name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')}\n`;
  }
  return text;
}

/** The first piece of any secret found in `text`, or null. */
function leaked(text: string, secrets: string[]): string | null {
  for (const secret of secrets) for (const piece of secretPieces(secret)) if (text.includes(piece)) return piece;
  return null;
}

// Tokens as providers issue them: letters, digits, dashes and underscores, 16 to 64 characters.
const token = fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/);
// Passwords and query values may hold any printable character; percent-encoding must not hide them.
const password = fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=._~-]{16,40}$/);

describe('secrets an engine echoes back', () => {
  let tmp: string;
  let engine: EchoEngine;
  let configFile: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-echo-'));
    engine = await startEchoEngine({ textPad: 30 });
    configFile = join(tmp, 'limits.yaml');
    await writeFile(configFile, `textLimit: ${TEXT_LIMIT}\nrequests: 4\nconcurrency: 1\nmaxTokens: 8\n`);
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const collect = async (out: string, env: NodeJS.ProcessEnv, engineUrl: string): Promise<{ code: number; printed: string }> => {
    const io = captureIO(tmp, env);
    const code = await main(['collect', '--config', configFile, '--engine', `vllm=${engineUrl}`, '--model', 'm', '--out', out, '--progress', 'plain', '--scrape-interval', '0.05'], io);
    return { code, printed: io.out() + io.err() };
  };

  it('a bearer token reaches no run file and no terminal line, whole or cut', async () => {
    await fc.assert(
      fc.asyncProperty(token, async (secret) => {
        const out = await mkdtemp(join(tmp, 'runs-'));
        const { code, printed } = await collect(out, { SERVEBENCH_API_KEY: secret }, engine.url);
        expect(code).toBe(0);
        const files = await textUnder(out);
        // The echo really happened: the run holds the redaction marks, and the reader accepts it.
        expect(files).toContain('[REDACTED]');
        const [dir] = await readdir(out);
        const run = await readRun(join(out, dir!));
        expect(run.engines[0]!.phases[0]!.requests.total).toBe(4);
        let records = 0;
        for await (const _ of readRequests(join(out, dir!))) records++;
        expect(records).toBe(4);
        expect(leaked(files, [secret])).toBeNull();
        expect(leaked(printed, [secret])).toBeNull();
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });

  it('URL userinfo, query values and the Basic credentials made from them are secrets too', async () => {
    await fc.assert(
      fc.asyncProperty(token, password, token, async (user, pass, key) => {
        const out = await mkdtemp(join(tmp, 'runs-'));
        const url = new URL(engine.url);
        url.username = user;
        url.password = pass;
        url.search = `?api-key=${encodeURIComponent(key)}`;
        const { code, printed } = await collect(out, {}, url.href);
        expect(code).toBe(0);
        const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
        const secrets = [user, pass, key, encodeURIComponent(pass), encodeURIComponent(key), basic];
        const files = await textUnder(out);
        expect(files).toContain('[REDACTED]');
        expect(leaked(files, secrets)).toBeNull();
        expect(leaked(printed, secrets)).toBeNull();
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });

  it('a health check that echoes the token fails with the reason, without the token', async () => {
    const sick = await startEchoEngine({ unhealthy: true });
    try {
      await fc.assert(
        fc.asyncProperty(token, async (secret) => {
          const { code, printed } = await collect(join(tmp, 'never'), { SERVEBENCH_API_KEY: secret }, sick.url);
          expect(code).toBe(3);
          expect(printed).toContain('not ready for');
          expect(leaked(printed, [secret])).toBeNull();
        }),
        { numRuns: 10 },
      );
    } finally {
      await sick.close();
    }
  });

  it('the built site holds none of it', { timeout: 120_000 }, async () => {
    const secret = 'sk-live_9fQ2xW7pLm4Rt8Zc1Vb6Nd3Hy5Kj0Gs';
    const out = await mkdtemp(join(tmp, 'site-runs-'));
    expect((await collect(out, { SERVEBENCH_API_KEY: secret }, engine.url)).code).toBe(0);
    const dist = join(tmp, 'dist');
    const built = await siteBuild(['--runs', out, '--out', dist], join(tmp, 'cache'));
    expect(built.code, built.stderr).toBe(0);
    const pages = await textUnder(dist);
    expect(pages).toContain('[REDACTED]');
    expect(leaked(pages + built.stdout + built.stderr, [secret])).toBeNull();
  });
});
