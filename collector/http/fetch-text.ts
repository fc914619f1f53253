// Small GET/POST calls for health and info endpoints and scrapes (not timed: only generation
// requests are). Bodies are read with a size check, so an endless body is a failed call, not a
// process out of memory.
import { request, type Dispatcher } from 'undici';
import type { Fetcher } from '../engines/engine.ts';
import { formatSize, TooLargeError } from '../framing/caps.ts';
import { joinUrl } from './url.ts';

/**
 * Bytes of one health, info, `/metrics` or `/api/ps` body. vLLM's /metrics is some 100 KiB with
 * a few models (histograms with many buckets); a busy Ollama's /api/ps a few KiB. 8 MiB leaves
 * ample room for a large server, and a scrape every second cannot pile up more than that.
 */
export const MAX_INFO_BODY_BYTES = 8 * 1024 * 1024;

export function makeFetcher(
  dispatcher: Dispatcher,
  base: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBodyBytes = MAX_INFO_BODY_BYTES,
): Fetcher {
  return async (call) => {
    const target = joinUrl(base, call.path);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    // Aborting closes the socket: an endless body stops arriving, not only stops being kept.
    const cutOff = new AbortController();
    const response = await request(`${target.origin}${target.path}`, {
      method: call.method,
      dispatcher,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), cutOff.signal]),
    });
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) {
        const tooLarge = new TooLargeError(
          `${call.method} ${call.path} answered more than ${formatSize(maxBodyBytes)} (cap on an info, health or metrics body)`,
        );
        cutOff.abort(tooLarge);
        throw tooLarge;
      }
      parts.push(chunk);
    }
    return { status: response.statusCode, body: Buffer.concat(parts).toString('utf8') };
  };
}
