import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { Fetcher, HttpCall } from '../../../collector/engines/engine.ts';
import { findEngine } from '../../../collector/engines/index.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/protocols/', import.meta.url));
const fixture = (name: string): string => readFileSync(FIXTURES + name, 'utf8');

/** Serves a body per path (404 otherwise) and records the calls made. */
function fakeFetcher(bodies: Record<string, string | Error>): { fetcher: Fetcher; calls: HttpCall[] } {
  const calls: HttpCall[] = [];
  const fetcher: Fetcher = async (call) => {
    calls.push(call);
    const body = bodies[call.path];
    if (body instanceof Error) throw body;
    return body === undefined ? { status: 404, body: '{"detail":"Not Found"}' } : { status: 200, body };
  };
  return { fetcher, calls };
}

const simulated = (body: string): string => JSON.stringify({ ...JSON.parse(body), servebench_simulated: true });

async function describeWith(kind: string, bodies: Record<string, string | Error>, model = 'm') {
  const adapter = findEngine(kind);
  if (!adapter) throw new Error(kind);
  const { fetcher, calls } = fakeFetcher(bodies);
  return { info: await adapter.describe(fetcher, model), calls };
}

describe('describe() against the fixture info bodies', () => {
  it('reads vLLM /version and /v1/models', async () => {
    const bodies = { '/version': fixture('vllm-version.json'), '/v1/models': fixture('vllm-models.json') };
    const { info } = await describeWith('vllm', bodies, 'meta-llama/Llama-3.1-8B-Instruct');
    expect(info).toMatchObject({ version: '0.12.0', model: 'meta-llama/Llama-3.1-8B-Instruct', maxModelTokens: 8192, simulated: false, problems: [] });
    expect(info.raw).toEqual({ '/version': JSON.parse(bodies['/version']), '/v1/models': JSON.parse(bodies['/v1/models']) });
  });

  it('reads TGI /info, including the model revision', async () => {
    const { info } = await describeWith('tgi', { '/info': fixture('tgi-info.json') });
    expect(info).toMatchObject({
      version: '3.3.4',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      modelRevision: '0e9e39f249a16976918f6564b8830bc894c89659',
      maxModelTokens: 4096,
      simulated: false,
      problems: [],
    });
  });

  it('reads Ollama /api/version and /api/ps, and notes a missing /api/show', async () => {
    const bodies = { '/api/version': fixture('ollama-version.json'), '/api/ps': fixture('ollama-ps.json'), '/api/tags': fixture('ollama-tags.json') };
    const { info, calls } = await describeWith('ollama', bodies, 'llama3.1:8b');
    expect(info).toMatchObject({
      version: '0.12.6',
      model: 'llama3.1:8b',
      modelRevision: '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
      maxModelTokens: 4096,
      simulated: false,
    });
    expect(calls).toContainEqual({ method: 'POST', path: '/api/show', body: { model: 'llama3.1:8b' } });
    expect(info.problems).toEqual(['POST /api/show: HTTP 404: Not Found']);
  });

  it('falls back to /api/tags and /api/show for an Ollama model that is not loaded', async () => {
    const show = JSON.stringify({ parameters: 'stop "<|eot_id|>"', model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 } });
    const bodies = { '/api/version': fixture('ollama-version.json'), '/api/ps': '{"models":[]}', '/api/tags': fixture('ollama-tags.json'), '/api/show': show };
    const { info } = await describeWith('ollama', bodies, 'qwen2.5:0.5b');
    expect(info).toMatchObject({
      model: 'qwen2.5:0.5b',
      modelRevision: 'a8b0c51577010a279d933d14c2a8ab4b268079d44c5c8830c0a93900f1827c67',
      maxModelTokens: 32768,
      problems: [],
    });
    const withNumCtx = { ...bodies, '/api/show': JSON.stringify({ parameters: 'num_ctx                        8192\nstop "x"' }) };
    expect((await describeWith('ollama', withNumCtx, 'qwen2.5:0.5b')).info.maxModelTokens).toBe(8192);
  });

  it('reads llama.cpp /props and /v1/models', async () => {
    const { info } = await describeWith('llamacpp', { '/props': fixture('llamacpp-props.json'), '/v1/models': fixture('llamacpp-models.json') });
    expect(info).toMatchObject({
      version: 'b7412-6c2e9f8a1',
      model: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
      maxModelTokens: 4096,
      simulated: false,
      problems: [],
    });
    expect(Object.keys(info.raw)).toEqual(['/props', '/v1/models']);
  });

  it('reads a generic OpenAI endpoint from /v1/models, picking the requested model', async () => {
    const models = JSON.stringify({ object: 'list', data: [{ id: 'a' }, { id: 'b' }] });
    expect((await describeWith('openai', { '/v1/models': models }, 'b')).info).toMatchObject({ model: 'b', problems: [] });
    expect((await describeWith('openai', { '/v1/models': models }, 'z')).info.model).toBeUndefined();
    expect((await describeWith('openai', { '/v1/models': fixture('tgi-models.json') }, 'tgi')).info.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });
});

describe('describe() self-identification and failures', () => {
  it('reports simulated when any info body carries servebench_simulated: true', async () => {
    const cases: [string, Record<string, string>][] = [
      ['vllm', { '/version': fixture('vllm-version.json'), '/v1/models': simulated(fixture('vllm-models.json')) }],
      ['tgi', { '/info': simulated(fixture('tgi-info.json')) }],
      ['ollama', { '/api/version': simulated(fixture('ollama-version.json')) }],
      ['llamacpp', { '/props': simulated(fixture('llamacpp-props.json')) }],
      ['openai', { '/v1/models': simulated(fixture('vllm-models.json')) }],
    ];
    for (const [kind, bodies] of cases) expect((await describeWith(kind, bodies)).info.simulated, kind).toBe(true);
  });

  it('does not take a nested or non-true servebench_simulated for the mark', async () => {
    const body = JSON.stringify({ version: '1', servebench_simulated: 'true', nested: { servebench_simulated: true } });
    expect((await describeWith('vllm', { '/version': body })).info.simulated).toBe(false);
  });

  it('lists each failing endpoint in problems and still reads the others', async () => {
    const { info } = await describeWith('vllm', { '/version': new Error('connect ECONNREFUSED'), '/v1/models': fixture('vllm-models.json') });
    expect(info.problems).toEqual(['GET /version: connect ECONNREFUSED']);
    expect(info.maxModelTokens).toBe(8192);

    const broken = await describeWith('llamacpp', { '/props': '<html>not json</html>', '/v1/models': '[1,2]' });
    expect(broken.info.problems).toEqual(['GET /props: answer is not JSON', 'GET /v1/models: answer is not a JSON object']);
    expect(broken.info.model).toBeUndefined();
    expect(broken.info.raw).toEqual({ '/v1/models': [1, 2] });
  });

  it('keeps engine text as data, whatever it looks like', async () => {
    const body = JSON.stringify({ model_id: '${process.exit(1)}', version: 42, max_total_tokens: '4096' });
    const { info } = await describeWith('tgi', { '/info': body });
    expect(info.model).toBe('${process.exit(1)}');
    expect(info.version).toBeUndefined();
    expect(info.maxModelTokens).toBeUndefined();
  });
});
