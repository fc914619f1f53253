// Scrapes an engine's own metrics while a phase runs: /metrics (Prometheus text) for vLLM, TGI
// and llama.cpp, GET /api/ps for Ollama. Scrapes run one at a time, right away, then every
// intervalMs, plus once more at stop. A failed scrape is counted, never thrown: bodies are capped by
// the fetcher (http/fetch-text.ts), and nothing a timer runs can throw out of it.
import type { Fetcher } from '../engines/engine.ts';
import type { ServerPhaseMetrics } from '../store/schema/index.ts';
import { readOllamaPs } from './ollama-ps.ts';
import { parseExposition } from './parse.ts';
import { createPrometheusPhase } from './prometheus-phase.ts';
import { createCappedSeries } from './series.ts';

export interface ScraperOptions {
  /** Engine kind (`vllm`, `tgi`, `llamacpp`, `ollama`, `openai`, …). */
  kind: string;
  /** Best a fetcher of its own: one sharing the load's connection pool queues behind generations. */
  fetcher: Fetcher;
  intervalMs: number;
  /** Monotonic ms, the clock request offsets use. */
  now: () => number;
  /** The run's origin on that clock: points are stamped now() - origin. */
  origin: number;
  /** A scrape not answered by then counts as failed, so stop() never waits on a hung engine. Default 10 s. */
  timeoutMs?: number;
  /** Points kept per series before down-sampling. Default 2000. */
  maxPoints?: number;
}

export interface Scraper {
  /** Settles once the first scrape is done (or failed): start the load after it, so the baseline precedes it. */
  ready: Promise<void>;
  /**
   * Scrapes one last time and returns the phase's metrics. Null when the engine has no such
   * endpoint at all: no scrape succeeded and every one was answered 404, 405 or 501 (llama-server
   * without --metrics, an OpenAI-style server). Any other failure (refused, 5xx, unparsable,
   * timeout) still returns the metrics, with failures and lastError saying what went wrong.
   */
  stop(): Promise<ServerPhaseMetrics | null>;
  /** Engine values left out because a run cannot hold them (±Inf, NaN), one sentence per metric. */
  warnings(): string[];
}

/** Statuses that mean "no such endpoint", not "the endpoint failed". */
const ABSENT = new Set([404, 405, 501]);

export function startScraper(options: ScraperOptions): Scraper {
  const { kind, fetcher, intervalMs, now, origin } = options;
  if (!(intervalMs > 0)) throw new RangeError(`scrape interval must be positive, got ${intervalMs}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const isOllama = kind === 'ollama';
  const path = isOllama ? '/api/ps' : '/metrics';

  const prometheus = createPrometheusPhase(kind, options.maxPoints);
  const loadedModels = createCappedSeries(options.maxPoints);
  const vramBytes = createCappedSeries(options.maxPoints);

  // scrapes counts every attempt; failures the ones that gave nothing (so successes = the difference).
  let scrapes = 0;
  let failures = 0;
  let lastError: string | null = null;
  let everyFailureAbsent = true;

  function fail(message: string, absent: boolean): void {
    failures += 1;
    lastError = message;
    if (!absent) everyFailureAbsent = false;
  }

  async function scrapeOnce(): Promise<void> {
    scrapes += 1;
    try {
      const sentAt = now();
      const reply = await withTimeout(fetcher({ method: 'GET', path }), timeoutMs);
      // The engine rendered its values somewhere between send and answer: stamp the middle.
      const atMs = (sentAt + now()) / 2 - origin;
      if (reply.status < 200 || reply.status > 299) {
        const absent = ABSENT.has(reply.status);
        return fail(`HTTP ${reply.status} from ${path}${absent ? ' (no such endpoint)' : ''}`, absent);
      }
      if (isOllama) {
        const ps = readOllamaPs(reply.body);
        loadedModels.add(atMs, ps.loadedModels);
        vramBytes.add(atMs, ps.vramBytes);
      } else {
        prometheus.ingest(parseExposition(reply.body), atMs);
      }
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error), false);
    }
  }

  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  function tick(): void {
    timer = undefined;
    const startedAt = now();
    inFlight = scrapeOnce()
      .then(() => {
        if (stopping) return;
        // Every intervalMs from the start of the previous scrape; a slow scrape is followed at once.
        const wait = Math.min(intervalMs, Math.max(0, intervalMs - (now() - startedAt)));
        timer = setTimeout(tick, wait);
        // Scraping alone must not keep the process alive.
        timer.unref?.();
      })
      // scrapeOnce counts its own failures; this only keeps a rejection out of the timer chain.
      .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), false));
  }

  tick();
  const ready = inFlight;

  function result(): ServerPhaseMetrics | null {
    const successes = scrapes - failures;
    if (successes === 0 && everyFailureAbsent) return null;
    const base = { intervalMs, scrapes, failures, lastError };
    if (isOllama) {
      const series: ServerPhaseMetrics['series'] = [];
      const models = loadedModels.points();
      if (models.length > 0) {
        series.push({ name: 'loadedModels', metric: '/api/ps models', points: models });
        series.push({ name: 'vramBytes', metric: '/api/ps size_vram', points: vramBytes.points() });
      }
      return { source: 'ollama-ps', ...base, series, deltas: {}, quantiles: [] };
    }
    return { source: 'prometheus', ...base, ...prometheus.result() };
  }

  let stopped: Promise<ServerPhaseMetrics | null> | undefined;
  return {
    ready,
    warnings: () =>
      [...prometheus.invalid()].map(
        ([metric, n]) => `${metric} reported a value no metric can have (±Inf, NaN or an overflowing sum) in ${n} sample${n === 1 ? '' : 's'}: left out`,
      ),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (timer !== undefined) clearTimeout(timer);
        await inFlight;
        await scrapeOnce();
        return result();
      })();
      return stopped;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
