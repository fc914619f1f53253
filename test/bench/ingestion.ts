// The collector's ingestion ceiling against a zero-delay simulator (in its own process), beside a
// plain fetch-and-split client: chunks and output tokens per second of this process's CPU time.
import { startSimProcess } from '../../collector/sim/child.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { runBaseline } from './baseline-client.ts';
import { collectOnce } from './collect-once.ts';

export interface IngestionRow {
  client: string;
  chunks: number;
  outputTokens: number;
  wallS: number;
  cpuS: number;
  chunksPerCpuS: number;
  tokensPerCpuS: number;
  chunksPerWallS: number;
  peakRssMb: number;
}

export async function ingestion(tmp: string, requests: number, concurrency: number, maxTokens: number): Promise<IngestionRow[]> {
  const sim = await startSimProcess(['--engine', 'vllm:0:instant', '--seed', '1'], 'inherit');
  const engine = sim.engines[0]!;
  const rows: IngestionRow[] = [];
  try {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const cpu = process.cpuUsage();
    const start = performance.now();
    const { dir } = await collectOnce(
      {
        name: 'ingestion',
        requests,
        concurrency,
        maxTokens,
        engines: [{ kind: 'vllm', url: engine.url, model: engine.model, label: 'vllm' }],
      },
      tmp,
    );
    const wallS = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    let chunks = 0;
    let outputTokens = 0;
    for await (const record of readRequests(dir)) {
      chunks += record.events.length;
      outputTokens += record.outputTokens ?? 0;
    }
    const cpuS = (used.user + used.system) / 1e6;
    rows.push(row('servebench collector', chunks, outputTokens, wallS, cpuS, peak));

    peak = 0;
    const sampler2 = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const body = {
      model: engine.model,
      messages: [{ role: 'user', content: 'Tell me a long story.' }],
      max_tokens: maxTokens,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    };
    const base = await runBaseline(`${engine.url}/v1/chat/completions`, body, requests, concurrency);
    clearInterval(sampler2);
    rows.push(row('plain fetch + split', base.chunks, requests * maxTokens, base.wallMs / 1000, base.cpuMs / 1000, peak));
  } finally {
    await sim.stop();
  }
  return rows;
}

function row(client: string, chunks: number, outputTokens: number, wallS: number, cpuS: number, peakRss: number): IngestionRow {
  return {
    client,
    chunks,
    outputTokens,
    wallS,
    cpuS,
    chunksPerCpuS: chunks / cpuS,
    tokensPerCpuS: outputTokens / cpuS,
    chunksPerWallS: chunks / wallS,
    peakRssMb: peakRss / 2 ** 20,
  };
}
