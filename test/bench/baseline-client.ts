// The baseline the collector's ingestion is compared with: plain fetch, split the SSE text on
// blank lines, JSON.parse each data line, count. No timing records, no files, no error taxonomy.

export interface BaselineResult {
  requests: number;
  chunks: number;
  wallMs: number;
  cpuMs: number;
}

export async function runBaseline(url: string, body: unknown, requests: number, concurrency: number): Promise<BaselineResult> {
  let next = 0;
  let chunks = 0;
  const decoder = new TextDecoder();
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next += 1;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      let buffer = '';
      for await (const piece of response.body!) {
        buffer += decoder.decode(piece as Uint8Array, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (event.startsWith('data: ') && event !== 'data: [DONE]') JSON.parse(event.slice(6));
          chunks += 1;
          cut = buffer.indexOf('\n\n');
        }
      }
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { requests, chunks, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}
