// The floor of timing error on this machine: a client that only stamps each chunk as it arrives
// (no decoding, no records, no files) over the same kind of pooled connections as the collector.
// Its error is what the kernel, the two processes sharing the cores and the simulator's burst of
// writes cost before any collector work; the collector's figure is read as a ratio to it.
import { Agent, type Dispatcher } from 'undici';

export interface FloorRequest {
  /** Sent as x-request-id: the simulator's trace keys its ground truth by it. */
  id: string;
  /** Epoch ms of each SSE event, stamped in the HTTP data callback. */
  stampsMs: number[];
}

/**
 * Closed loop of `streams` users over `requests` TGI /generate_stream requests of `maxTokens`,
 * after one unmeasured request per user opens its connection (as the collector's phases do).
 */
export async function stampFloor(url: string, streams: number, requests: number, maxTokens: number, idPrefix: string): Promise<FloorRequest[]> {
  const origin = new URL(url).origin;
  const agent = new Agent({ connections: streams });
  const body = JSON.stringify({ inputs: 'Tell me a story.', parameters: { max_new_tokens: maxTokens, details: true, do_sample: false } });
  const one = (id: string): Promise<FloorRequest> =>
    new Promise((resolve, reject) => {
      const request: FloorRequest = { id, stampsMs: [] };
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: () => undefined,
        onResponseStart: () => undefined,
        onResponseData(_controller, chunk: Buffer) {
          const at = performance.timeOrigin + performance.now();
          // One stamp per event the chunk completes: TGI writes one event per token.
          for (let i = chunk.indexOf('\n\n'); i !== -1; i = chunk.indexOf('\n\n', i + 2)) request.stampsMs.push(at);
        },
        onResponseEnd: () => resolve(request),
        onResponseError: (_controller, error) => reject(error),
      };
      agent.dispatch({ origin, path: '/generate_stream', method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body }, handler);
    });
  try {
    await Promise.all(Array.from({ length: streams }, (_, i) => one(`${idPrefix}-warm-${i}`)));
    const out: FloorRequest[] = [];
    let next = 0;
    const user = async (): Promise<void> => {
      while (next < requests) {
        const seq = next++;
        out.push(await one(`${idPrefix}-${seq}`));
      }
    };
    await Promise.all(Array.from({ length: streams }, user));
    return out;
  } finally {
    await agent.close();
  }
}
