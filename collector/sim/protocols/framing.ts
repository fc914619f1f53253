// Message framing and the JSON dialects of the engines' own serializers. Most engines write
// compact JSON with raw UTF-8 (pydantic, serde, nlohmann), which JSON.stringify matches; the two
// exceptions are Python's json.dumps (vLLM's mid-stream error event) and Go's encoding/json (Ollama).

/** One SSE event: `data: <payload>` and the blank line that ends it. */
export function sse(data: string): string {
  return `data: ${data}\n\n`;
}

/** The OpenAI-style end-of-stream sentinel (vLLM, llama.cpp, TGI's Messages API). */
export const SSE_DONE = sse('[DONE]');

/** An SSE comment line: TGI's (axum's) keep-alive, sent after 15 s without an event. */
export const SSE_KEEPALIVE = ':\n\n';

/** One NDJSON line. */
export function ndjson(json: string): string {
  return `${json}\n`;
}

/** The first half of a JSON text: what a "malformed chunk" fault sends instead of a whole message. */
export function cutInHalf(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}

/**
 * Python's json.dumps with its defaults: ", " and ": " separators and ensure_ascii (everything
 * outside printable ASCII as \uXXXX). vLLM writes its mid-stream error event this way.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/**
 * Go's json.Marshal: compact, raw UTF-8, but HTML-escaped (`<` `>` `&` as \u003c \u003e \u0026)
 * and U+2028/U+2029 escaped. Those characters only occur inside strings, so escaping the whole
 * text is safe.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
