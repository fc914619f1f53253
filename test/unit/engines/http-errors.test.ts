import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { findEngine } from '../../../collector/engines/index.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/protocols/', import.meta.url));

interface ErrorMeta {
  engine: string;
  response: { http_status: number };
  expected: { classification: string; error_message: string; error_type?: string | null };
}

const ENGINE_OF: Record<string, string> = { vllm: 'vllm', tgi: 'tgi', ollama: 'ollama', 'llama.cpp': 'llamacpp' };
const bodies = readdirSync(FIXTURES).filter((f) => /-http-error-.*\.json$/.test(f) && !f.endsWith('.meta.json'));

describe('HTTP error fixtures', () => {
  it('cover every engine', () => {
    expect(new Set(bodies.map((f) => f.split('-')[0]))).toEqual(new Set(['vllm', 'tgi', 'ollama', 'llamacpp']));
  });

  for (const file of bodies) {
    it(`${file} gets the meta classification, message and type`, () => {
      const meta = JSON.parse(readFileSync(FIXTURES + file.replace(/\.json$/, '.meta.json'), 'utf8')) as ErrorMeta;
      const adapter = findEngine(ENGINE_OF[meta.engine] ?? '');
      expect(adapter).toBeDefined();
      const info = adapter?.classifyHttpError(meta.response.http_status, readFileSync(FIXTURES + file, 'utf8'));
      expect(info?.classification).toBe(meta.expected.classification);
      expect(info?.message).toBe(meta.expected.error_message);
      expect(info?.type).toBe(meta.expected.error_type ?? undefined);
    });
  }
});

describe('HTTP error classification', () => {
  const vllm = findEngine('vllm');
  const classify = (status: number, body: string) => vllm?.classifyHttpError(status, body);

  it('falls back to the trimmed raw text, at most 500 characters, when the body is not JSON', () => {
    expect(classify(502, '  <html>Bad Gateway</html>\n')).toEqual({ message: '<html>Bad Gateway</html>', classification: 'server_error' });
    expect(classify(500, 'x'.repeat(600))?.message).toHaveLength(500);
    expect(classify(503, '')).toEqual({ message: 'HTTP 503', classification: 'unhealthy' });
  });

  it('reads the older vLLM context wordings and the flat pre-0.10.1 body', () => {
    const flat = JSON.stringify({
      object: 'error',
      message: "This model's maximum context length is 4096 tokens. However, you requested 4200 tokens.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    expect(classify(400, flat)).toEqual({
      message: "This model's maximum context length is 4096 tokens. However, you requested 4200 tokens.",
      type: 'BadRequestError',
      code: 400,
      classification: 'context_length_exceeded',
    });
  });

  it('maps the remaining statuses: other 4xx to bad_request, 429 to overloaded, 5xx to server_error', () => {
    expect(classify(400, '{"error":{"message":"temperature must be >= 0","type":"BadRequestError","code":400}}')?.classification).toBe('bad_request');
    expect(classify(422, '{"detail":"Unprocessable"}')).toEqual({ message: 'Unprocessable', classification: 'bad_request' });
    expect(classify(429, '{"error":{"message":"Rate limit reached"}}')?.classification).toBe('overloaded');
    expect(classify(500, '{"error":{"message":"oops","type":"InternalServerError","code":500}}')?.classification).toBe('server_error');
    expect(classify(404, '{"detail":"Not Found"}')?.classification).toBe('bad_request');
    expect(findEngine('tgi')?.classifyHttpError(424, '{"error":"Request failed during generation: x","error_type":"generation"}')?.classification).toBe('server_error');
    expect(findEngine('ollama')?.classifyHttpError(404, '{"error":"model \\"x\\" not found, try pulling it first"}')?.classification).toBe('model_not_found');
    expect(findEngine('tgi')?.classifyHttpError(422, '{"error":"Input validation error: `temperature` must be strictly positive","error_type":"validation"}')?.classification).toBe('bad_request');
  });
});
