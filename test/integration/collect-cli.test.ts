// The collect CLI contract: exit codes, failed runs as data, config validation, secrets.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';
import { chunk, finish, sse, startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

const TOKEN = 'sk-test-7Hq2v9ZsecretTOKEN';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function allText(dir: string): Promise<string> {
  let text = '';
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file);
    text += file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }
  return text;
}

const lastJson = (out: string): { runId: string; runDir: string; status: string } =>
  JSON.parse(out.trim().split('\n').at(-1)!);

describe('servebench collect', () => {
  let tmp: string;
  let server: ScriptedServer;
  const seenAuth: string[] = [];
  const seenRequestIds: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-cli-'));
    server = await startScriptedServer({
      '/good/v1/chat/completions': (req, res) => {
        seenAuth.push(String(req.headers.authorization));
        seenRequestIds.push(String(req.headers['x-request-id']));
        sse(res, [chunk('Hello'), chunk(' world'), finish('length'), '[DONE]']);
        res.end();
      },
      '/broken/v1/chat/completions': (req, res) => {
        // An engine that echoes the credential back in its error: it must still not reach a file.
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `bad key ${String(req.headers.authorization)}`, type: 'X', param: null, code: 500 } }));
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('exits 3 and writes nothing when an engine is unreachable at start', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const out = join(tmp, 'unreachable');
    const io = captureIO(tmp);
    const code = await main(['collect', '--engine', `vllm=http://127.0.0.1:${port}`, '--model', 'm', '--out', out], io);
    expect(code).toBe(3);
    expect(io.err()).toContain(`vllm at http://127.0.0.1:${port}`);
    expect(io.err()).toContain('connection refused');
    expect(io.err()).toContain('hint:');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('writes a failed run with its reasons counted when every request fails, and exits 0', async () => {
    const io = captureIO(tmp);
    const code = await main(['collect', '--engine', `vllm=${server.url}/broken`, '--model', 'm', '--requests', '3', '--out', join(tmp, 'failed'), '--json'], io);
    expect(code).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.status).toBe('failed');
    expect(run.errorsByKind).toEqual({ http_error: 3 });
    expect(run.engines[0]!.phases[0]!.requests).toMatchObject({ total: 3, ok: 0, failed: 3 });
  });

  it('exits 5 with --fail-on-errors when a request failed, after saving the run', async () => {
    const io = captureIO(tmp);
    const code = await main(['collect', '--engine', `vllm=${server.url}/broken`, '--model', 'm', '--requests', '2', '--out', join(tmp, 'fail-on'), '--fail-on-errors', '--json'], io);
    expect(code).toBe(5);
    expect(io.err()).toContain('2 requests failed');
    expect((await readRun(lastJson(io.out()).runDir)).status).toBe('failed');
  });

  it('sends the token from SERVEBENCH_API_KEY and never writes or logs it', async () => {
    const out = join(tmp, 'secret-env');
    const io = captureIO(tmp, { SERVEBENCH_API_KEY: TOKEN });
    expect(await main(['collect', '--engine', `vllm=${server.url}/good`, '--engine', `openai=${server.url}/broken`, '--model', 'm', '--requests', '2', '--out', out, '--json'], io)).toBe(0);
    expect(seenAuth.at(-1)).toBe(`Bearer ${TOKEN}`);
    const written = await allText(out);
    expect(written).toContain('[REDACTED]');
    expect(written).not.toContain(TOKEN);
    expect(io.out() + io.err()).not.toContain(TOKEN);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.engines[0]!.headerNames).toEqual(['authorization']);
  });

  it('reads the token from --api-key-env and --api-key-file', async () => {
    const file = join(tmp, 'token.txt');
    await writeFile(file, `${TOKEN}-file\n`);
    const viaEnv = captureIO(tmp, { MY_KEY: `${TOKEN}-env` });
    expect(await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--requests', '1', '--out', join(tmp, 'k1'), '--api-key-env', 'MY_KEY'], viaEnv)).toBe(0);
    expect(seenAuth.at(-1)).toBe(`Bearer ${TOKEN}-env`);
    const viaFile = captureIO(tmp);
    expect(await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--requests', '1', '--out', join(tmp, 'k2'), '--api-key-file', file], viaFile)).toBe(0);
    expect(seenAuth.at(-1)).toBe(`Bearer ${TOKEN}-file`);
    expect(await allText(join(tmp, 'k2'))).not.toContain(TOKEN);
  });

  it('exits 2 naming the variable when --api-key-env names an unset variable', async () => {
    const io = captureIO(tmp, {});
    const code = await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--api-key-env', 'NOPE_KEY', '--out', join(tmp, 'x')], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('NOPE_KEY');
  });

  it('strips credentials and query strings from the URL it records', async () => {
    const io = captureIO(tmp);
    const url = `${server.url.replace('http://', 'http://user:pa55word@')}/good?api_key=abc123secret`;
    expect(await main(['collect', '--engine', `vllm=${url}`, '--model', 'm', '--requests', '1', '--out', join(tmp, 'creds'), '--json'], io)).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.engines[0]!.url).toBe(`${server.url}/good`);
    const written = await allText(join(tmp, 'creds'));
    expect(written).not.toContain('pa55word');
    expect(written).not.toContain('abc123secret');
  });

  it('reports every bad flag at once with exit code 2', async () => {
    const io = captureIO(tmp);
    const code = await main(['collect', '--engine', 'nosuch=http://x', '--engine', 'vllm=ftp://x', '--requests', 'many', '--concurrency', '0'], io);
    expect(code).toBe(2);
    const err = io.err();
    expect(err).toContain('unknown engine kind "nosuch"');
    expect(err).toContain('"ftp://x" is not an http(s) URL');
    expect(err).toContain('--requests must be a whole number >= 1, got "many"');
    expect(err).toContain('--concurrency must be whole numbers > 0, comma-separated, got "0"');
    expect(err).toContain('no model');
  });

  it('rejects waits no timer can take (over 2^31 ms) instead of timing out every request at once', async () => {
    const io = captureIO(tmp);
    const code = await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--timeout', '3000000', '--grace', '1e7', '--think-time', '3e12'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('--timeout must be a number between 0.001 and 2147483, got "3000000"');
    expect(io.err()).toContain('--grace must be a number between 0 and 2147483');
    expect(io.err()).toContain('--think-time must be a number from 0 to 2147483000');
    const file = join(tmp, 'long.yaml');
    await writeFile(file, 'timeouts: { idleS: 2500000 }\n');
    const fromFile = captureIO(tmp);
    expect(await main(['collect', '--config', file, '--engine', `vllm=${server.url}/good`, '--model', 'm'], fromFile)).toBe(2);
    expect(fromFile.err()).toContain('timeouts.idleS: expected a number <= 2147483, got number 2500000');
  });

  it('a CA bundle that cannot be read is a configuration error (exit 2), found before anything is sent', async () => {
    const io = captureIO(tmp);
    const missing = join(tmp, 'no-such-ca.pem');
    expect(await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--ca-file', missing], io)).toBe(2);
    expect(io.err()).toContain(`cannot read the CA bundle ${missing} (--ca-file or caFile): ENOENT`);
    expect(io.err()).toContain('(BAD_CONFIG, exit 2)');
  });

  it('accepts --warmup 0, the default, and lets it override a config file\'s warm-up', async () => {
    const file = join(tmp, 'warm.yaml');
    await writeFile(file, 'warmup: { requests: 2 }\nrequests: 5\n');
    const warm = captureIO(tmp);
    expect(await main(['collect', '--config', file, '--engine', `vllm=${server.url}/good`, '--model', 'm', '--dry-run'], warm)).toBe(0);
    expect(warm.out()).toContain('warm-up first 2 requests');
    const cold = captureIO(tmp);
    expect(await main(['collect', '--config', file, '--engine', `vllm=${server.url}/good`, '--model', 'm', '--dry-run', '--warmup', '0'], cold)).toBe(0);
    expect(cold.out()).not.toContain('warm-up');
  });

  it('exits 2 on an unknown flag', async () => {
    const io = captureIO(tmp);
    expect(await main(['collect', '--engnie', 'vllm=http://x'], io)).toBe(2);
    expect(io.err()).toContain("unknown option '--engnie'");
  });

  it('rejects a config file with an unknown key or a wrong type, naming the file and the path', async () => {
    const file = join(tmp, 'bad.yaml');
    await writeFile(file, 'model: m\nrequests: ten\nengines:\n  - kind: vllm\n    url: http://127.0.0.1:1\n    tokn: x\n');
    const io = captureIO(tmp);
    expect(await main(['collect', '--config', file], io)).toBe(2);
    expect(io.err()).toContain(file);
    expect(io.err()).toContain('requests');
    expect(io.err()).toContain('engines[0]');
    expect(io.err()).toContain('tokn');
  });

  it('lets flags override the config file', async () => {
    const file = join(tmp, 'good.yaml');
    await writeFile(file, `model: from-file\nrequests: 5\nname: filename\nengines:\n  - kind: vllm\n    url: ${server.url}/good\n    label: primary\n`);
    const io = captureIO(tmp);
    expect(await main(['collect', '--config', file, '--requests', '2', '--out', join(tmp, 'cfg'), '--json'], io)).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.name).toBe('filename');
    expect(run.engines[0]!.label).toBe('primary');
    expect(run.engines[0]!.model).toBe('from-file');
    expect(run.engines[0]!.phases[0]!.requests.total).toBe(2);
  });

  it('runs one closed-loop phase per level of a --concurrency list, and sends each request an x-request-id', async () => {
    const io = captureIO(tmp);
    expect(await main(['collect', '--engine', `vllm=${server.url}/good`, '--model', 'm', '--requests', '2', '--concurrency', '1,2', '--out', join(tmp, 'sweep'), '--json'], io)).toBe(0);
    const run = await readRun(lastJson(io.out()).runDir);
    expect(run.engines[0]!.phases.map((p) => [p.name, p.load.concurrency, p.requests.ok])).toEqual([
      ['c1', 1, 2],
      ['c2', 2, 2],
    ]);
    expect(seenRequestIds.at(-1)).toMatch(new RegExp(`^${run.id}-vllm-c2-[01]$`));
    expect(run.clockOriginEpochMs).toBeGreaterThan(Date.parse(run.startedAt) - 1000);
  });

  it('lists every command in --help, and each command has its own --help', async () => {
    const io = captureIO(tmp);
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['collect', 'engines', 'runs']) expect(io.out()).toContain(name);
    for (const name of ['collect', 'engines', 'runs']) {
      const sub = captureIO(tmp);
      expect(await main([name, '--help'], sub)).toBe(0);
      expect(sub.out()).toContain(`Usage: servebench ${name}`);
    }
  });
});
