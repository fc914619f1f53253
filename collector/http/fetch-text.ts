// Small GET/POST calls for health and info endpoints (not timed: only generation requests are).
import { request, type Dispatcher } from 'undici';
import type { Fetcher } from '../engines/engine.ts';
import { joinUrl } from './url.ts';

export function makeFetcher(
  dispatcher: Dispatcher,
  base: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Fetcher {
  return async (call) => {
    const target = joinUrl(base, call.path);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const response = await request(`${target.origin}${target.path}`, {
      method: call.method,
      dispatcher,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.statusCode, body: await response.body.text() };
  };
}
