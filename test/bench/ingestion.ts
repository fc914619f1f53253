// The collector's ingestion ceiling against a zero-delay simulator (in its own process), beside a
// plain fetch-and-split client: chunks and output tokens per second of this process's CPU time.
// The collector is charged twice: over its load alone (the window in which it ingests, which is
// what can make it the bottleneck of a measurement), and over the whole run (start-up checks, the
// gzip of the raw file and the summaries read back from disk as well).
import { startSimProcess } from '../../collector/sim/child.ts';
import type { Reporter } from '../../collector/progress/reporter.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import { runBaseline } from './baseline-client.ts';
import { collectOnce } from './collect-once.ts';

export interface IngestionRow {
  client: 'servebench collector (load)' | 'servebench collector (whole run)' | 'plain fetch + split';
  repetition: number;
  chunks: number;
  outputTokens: number;
  wallS: number;
  cpuS: number;
  chunksPerCpuS: number;
  tokensPerCpuS: number;
  chunksPerWallS: number;
  peakRssMb: number;
}

/** How often the load window's edges are sampled; each sample also costs the collector a progress view. */
const WINDOW_TICK_MS = 20;

interface Window {
  startEpochMs: number;
  endEpochMs: number;
  cpuUs: number;
}

/**
 * A progress reporter that marks the load's window: the collector calls update() on a ticker that
 * runs only while a phase's requests are being sent and received. Its first and last calls bound
 * the window to within one tick at each end; CPU is read at both.
 */
function windowReporter(): { reporter: Reporter; window: () => Window } {
  let first: { at: number; cpu: NodeJS.CpuUsage } | null = null;
  let last: { at: number; cpu: NodeJS.CpuUsage } | null = null;
  const reporter: Reporter = {
    update() {
      const mark = { at: performance.timeOrigin + performance.now(), cpu: process.cpuUsage() };
      first ??= mark;
      last = mark;
    },
    line: () => undefined,
    stop: () => undefined,
    intervalMs: WINDOW_TICK_MS,
  };
  return {
    reporter,
    window() {
      if (!first || !last) throw new Error('the collector never reported progress: no load window');
      return {
        startEpochMs: first.at,
        endEpochMs: last.at,
        cpuUs: last.cpu.user - first.cpu.user + (last.cpu.system - first.cpu.system),
      };
    },
  };
}

export async function ingestion(tmp: string, requests: number, concurrency: number, maxTokens: number, repetitions = 1): Promise<IngestionRow[]> {
  const sim = await startSimProcess(['--engine', 'vllm:0:instant', '--seed', '1'], 'inherit');
  const engine = sim.engines[0]!;
  const rows: IngestionRow[] = [];
  const collector = async (repetition: number): Promise<void> => {
    const { reporter, window } = windowReporter();
    const peak = peakRss();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const { dir, run } = await collectOnce(
      {
        name: 'ingestion',
        requests,
        concurrency,
        maxTokens,
        engines: [{ kind: 'vllm', url: engine.url, model: engine.model, label: 'vllm' }],
      },
      tmp,
      reporter,
    );
    const wallS = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const peakMb = peak.stop();
    const w = window();
    let chunks = 0;
    let outputTokens = 0;
    let windowChunks = 0;
    for await (const record of readRequests(dir)) {
      chunks += record.events.length;
      outputTokens += record.outputTokens ?? 0;
      const base = run.clockOriginEpochMs + record.sentMs;
      for (const event of record.events) {
        const at = base + event[0];
        if (at >= w.startEpochMs && at <= w.endEpochMs) windowChunks += 1;
      }
    }
    const windowS = (w.endEpochMs - w.startEpochMs) / 1000;
    rows.push(row('servebench collector (load)', repetition, windowChunks, outputTokens * (windowChunks / chunks), windowS, w.cpuUs / 1e6, peakMb));
    rows.push(row('servebench collector (whole run)', repetition, chunks, outputTokens, wallS, (used.user + used.system) / 1e6, peakMb));
  };
  const baseline = async (repetition: number): Promise<void> => {
    const peak = peakRss();
    const body = {
      model: engine.model,
      messages: [{ role: 'user', content: 'Tell me a long story.' }],
      max_tokens: maxTokens,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    };
    const base = await runBaseline(`${engine.url}/v1/chat/completions`, body, requests, concurrency);
    rows.push(row('plain fetch + split', repetition, base.chunks, requests * maxTokens, base.wallMs / 1000, base.cpuMs / 1000, peak.stop()));
  };
  try {
    for (let repetition = 1; repetition <= repetitions; repetition++) {
      // Alternate which goes first, so a machine that grows busier favours neither.
      const order = repetition % 2 === 1 ? [collector, baseline] : [baseline, collector];
      for (const step of order) await step(repetition);
    }
  } finally {
    await sim.stop();
  }
  return rows;
}

function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(sampler);
      return peak / 2 ** 20;
    },
  };
}

function row(client: IngestionRow['client'], repetition: number, chunks: number, outputTokens: number, wallS: number, cpuS: number, peakRssMb: number): IngestionRow {
  return {
    client,
    repetition,
    chunks,
    outputTokens,
    wallS,
    cpuS,
    chunksPerCpuS: chunks / cpuS,
    tokensPerCpuS: outputTokens / cpuS,
    chunksPerWallS: chunks / wallS,
    peakRssMb,
  };
}
