// Error bodies equal the fixtures where one exists and are classified by the collector's adapters
// as the engine's real ones would be; info bodies have the fixtures' key order plus the simulator
// mark at the top level.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findEngine } from '../../../../collector/engines/index.ts';
import {
  badJson,
  faultReply,
  generationFailed,
  invalidField,
  llamacppError,
  methodNotAllowed,
  modelNotFound,
  overloaded,
  routeNotFound,
  type Reply,
} from '../../../../collector/sim/protocols/errors.ts';
import { cutInHalf, goJson, pythonJsonDumps } from '../../../../collector/sim/protocols/framing.ts';
import { infoReply, type InfoContext } from '../../../../collector/sim/protocols/info.ts';
import { rfc3339Nano } from '../../../../collector/sim/protocols/ollama.ts';
import { f32Text } from '../../../../collector/sim/protocols/tgi-generate.ts';
import { SIM_KINDS, type SimKind } from '../../../../collector/sim/types.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/protocols/', import.meta.url));
const fixture = (name: string) => readFileSync(FIXTURES + name, 'utf8');

describe('error bodies equal the fixtures', () => {
  it.each([
    ['vllm-http-error-model-not-found.json', modelNotFound('vllm', 'gpt-4o'), 404],
    ['tgi-http-error-overloaded.json', overloaded('tgi'), 429],
    ['tgi-http-error-unhealthy.json', faultReply('tgi', 503), 503],
    ['ollama-http-error-model-not-found.json', modelNotFound('ollama', 'llama3.1:70b'), 404],
    ['ollama-http-error-server-busy.json', overloaded('ollama'), 503],
    ['llamacpp-http-error-loading.json', faultReply('llamacpp', 503), 503],
    [
      'llamacpp-http-error-context-length.json',
      llamacppError(400, 'exceed_context_size_error', 'request (9000 tokens) exceeds the available context size (4096 tokens), try increasing it', {
        n_prompt_tokens: 9000,
        n_ctx: 4096,
      }),
      400,
    ],
  ] as Array<[string, Reply, number]>)('%s', (name, reply, status) => {
    expect(reply.body).toBe(fixture(name));
    expect(reply.status).toBe(status);
  });
});

describe('error bodies are classified like the real engines', () => {
  const cases: Array<[SimKind, string, Reply, string]> = [];
  for (const kind of SIM_KINDS) {
    cases.push([kind, 'HTTP 500 fault', faultReply(kind, 500), 'server_error']);
    cases.push([kind, 'HTTP 429 fault', faultReply(kind, 429, 2), 'overloaded']);
    cases.push([kind, 'generation failure', generationFailed(kind), 'server_error']);
    cases.push([kind, 'bad JSON', badJson(kind, '{oops'), 'bad_request']);
  }
  cases.push(['vllm', 'model not found', modelNotFound('vllm', 'x'), 'model_not_found']);
  cases.push(['ollama', 'model not found', modelNotFound('ollama', 'x'), 'model_not_found']);
  cases.push(['tgi', 'overloaded', overloaded('tgi'), 'overloaded']);
  cases.push(['ollama', 'server busy', overloaded('ollama'), 'overloaded']);
  cases.push(['vllm', 'HTTP 503 fault', faultReply('vllm', 503), 'unhealthy']);
  cases.push(['llamacpp', 'HTTP 503 fault', faultReply('llamacpp', 503), 'loading']);
  cases.push(['tgi', 'missing inputs', invalidField('tgi', 'inputs'), 'bad_request']);

  it.each(cases)('%s %s', (kind, _what, reply, classification) => {
    expect(findEngine(kind)!.classifyHttpError(reply.status, reply.body).classification).toBe(classification);
  });

  it('adds Retry-After when the fault gives one', () => {
    expect(faultReply('vllm', 429, 3).headers).toEqual({ 'retry-after': '3' });
    expect(faultReply('vllm', 500).headers).toBeUndefined();
  });

  it('answers unknown paths as each framework does', () => {
    expect(routeNotFound('vllm')).toMatchObject({ status: 404, body: '{"detail":"Not Found"}' });
    expect(routeNotFound('tgi')).toMatchObject({ status: 404, body: '' });
    expect(routeNotFound('ollama')).toMatchObject({ status: 404, body: '404 page not found' });
    expect(JSON.parse(routeNotFound('llamacpp').body)).toEqual({ error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    expect(methodNotAllowed('vllm').status).toBe(405);
  });
});

describe('JSON dialects', () => {
  it("Python json.dumps: ', ' and ': ' separators, non-ASCII escaped", () => {
    expect(pythonJsonDumps({ error: { message: 'café', param: null, code: 500 } })).toBe('{"error": {"message": "caf\\u00e9", "param": null, "code": 500}}');
  });

  it('Go json.Marshal: < > & and U+2028 escaped', () => {
    expect(goJson({ s: 'a<b>&c\u2028' })).toBe('{"s":"a\\u003cb\\u003e\\u0026c\\u2028"}');
    expect(JSON.parse(goJson({ s: 'a<b>&c' }))).toEqual({ s: 'a<b>&c' });
  });

  it('a JSON text cut in half is not JSON', () => {
    expect(() => JSON.parse(cutInHalf('{"a":"b","c":1}'))).toThrow();
  });

  it('serde prints f32 logprobs at their shortest, ties to even', () => {
    expect(f32Text(-0.040039062)).toBe('-0.040039062');
    expect(f32Text(-0.5)).toBe('-0.5');
    expect(f32Text(-2)).toBe('-2.0');
  });

  it('Go RFC3339Nano: nanoseconds, trailing zeros trimmed', () => {
    expect(rfc3339Nano(Date.UTC(2025, 9, 14, 9, 23, 32) + 265.5)).toBe('2025-10-14T09:23:32.2655Z');
    expect(rfc3339Nano(Date.UTC(2025, 9, 14, 9, 23, 32))).toBe('2025-10-14T09:23:32Z');
  });
});

/** The key paths of a JSON value in order (array items as `[]`), to compare shapes, not values. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
}

describe('info bodies', () => {
  const context: InfoContext = { model: 'm', contextTokens: 4096, maxBatch: 4, maxConcurrent: 128, startedAtMs: 1_760_000_000_000, nowMs: 1_760_000_100_000 };
  const bodyOf = (name: Parameters<typeof infoReply>[0], request?: Record<string, unknown>) => JSON.parse(infoReply(name, context, request).body) as Record<string, unknown>;

  it.each([
    ['vllm-version', 'vllm-version.json'],
    ['vllm-models', 'vllm-models.json'],
    ['tgi-info', 'tgi-info.json'],
    ['tgi-models', 'tgi-models.json'],
    ['ollama-version', 'ollama-version.json'],
    ['ollama-tags', 'ollama-tags.json'],
    ['ollama-ps', 'ollama-ps.json'],
    ['llamacpp-models', 'llamacpp-models.json'],
  ] as const)('%s has the fixture shape and the simulator mark', (name, file) => {
    const body = bodyOf(name);
    const { servebench_simulated: mark, ...rest } = body;
    expect(mark).toBe(true);
    expect(keyPaths(rest)).toEqual(keyPaths(JSON.parse(fixture(file))));
  });

  it('llamacpp /props states n_ctx and total_slots', () => {
    const body = bodyOf('llamacpp-props');
    expect(body).toMatchObject({ total_slots: 4, default_generation_settings: { n_ctx: 4096 }, servebench_simulated: true });
    const top = Object.keys(JSON.parse(fixture('llamacpp-props.json')));
    expect(Object.keys(body)).toEqual([...top, 'servebench_simulated']);
  });

  it('Ollama /api/show answers for the served model only', () => {
    expect(bodyOf('ollama-show', { model: 'm' })).toMatchObject({ details: { format: 'gguf' }, servebench_simulated: true });
    expect(infoReply('ollama-show', context, { model: 'other' }).status).toBe(404);
    expect(infoReply('ollama-show', context, {}).status).toBe(400);
  });
});
