// Every run's derived data (charts, responses sample, requests CSV), made once per build by a pool
// of worker threads (one per core) into the cache (cache.ts). Chart rendering is most of a
// build's CPU and Astro renders pages on one thread, so the content loader starts the pool on
// every run directory before it reads the runs itself, and workers stay ahead of the pages.
// Pages hold only a bundle's path, and read a bundle back when they render its run.
//
// The loader, the pages and the build-done hook are loaded as separate module graphs by Astro,
// so the one pool of a build lives on globalThis.
import { Worker } from 'node:worker_threads';
import type { BundleJob, BundleResult } from './cache.ts';

type Reply = { ok: true; result: BundleResult } | { ok: false; dir: string; message: string };

export interface DerivedPool {
  /** The bundle of the run in this directory (rejects when it failed to build). */
  result(dir: string): Promise<BundleResult>;
  /** Bundles whose run got a report page, for the downloads: recorded by the pages. */
  published: Map<string, BundleResult>;
  /** rejected: bundles found in the cache that failed verification (derived again; the first reason is kept). */
  stats: { rendered: number; cached: number; rejected: number; firstRejection: string | null; workers: number; cacheDir: string };
}

const POOL = Symbol.for('servebench.site.derivedPool');
const shared = globalThis as Record<symbol, unknown>;

interface Deferred {
  promise: Promise<BundleResult>;
  resolve: (result: BundleResult) => void;
  reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  let reject!: Deferred['reject'];
  const promise = new Promise<BundleResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // An invalid run's job fails too, and no page asks for it: not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Starts this build's pool on the jobs, in order, replacing the previous build's. */
export function startDerivedPool(jobs: readonly BundleJob[], options: { workerFile: URL; size: number; cacheDir: string }): DerivedPool {
  const pending = new Map(jobs.map((job) => [job.dir, deferred()]));
  const stats: DerivedPool['stats'] = { rendered: 0, cached: 0, rejected: 0, firstRejection: null, workers: 0, cacheDir: options.cacheDir };
  const workers: Worker[] = [];
  let next = 0;
  const feed = (worker: Worker): void => {
    const job = jobs[next++];
    if (job === undefined) void worker.terminate();
    else worker.postMessage(job);
  };
  for (let i = 0; i < Math.min(options.size, jobs.length); i++) {
    const worker = new Worker(options.workerFile);
    // A build that ends early (an invalid run stops it) must not wait for the workers.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if (reply.ok) {
        if (reply.result.cached) stats.cached++;
        else stats.rendered++;
        if (reply.result.rejected !== undefined) {
          stats.rejected++;
          stats.firstRejection ??= `${reply.result.runId}: ${reply.result.rejected}`;
        }
        pending.get(reply.result.dir)?.resolve(reply.result);
      } else {
        pending.get(reply.dir)?.reject(new Error(`the charts and downloads of the run in ${reply.dir} failed to build:\n${reply.message}`));
      }
      feed(worker);
    });
    worker.on('error', (error) => {
      const failure = new Error(`a site build worker stopped: ${error.message}`, { cause: error });
      for (const p of pending.values()) p.reject(failure);
      for (const w of workers) void w.terminate();
    });
    workers.push(worker);
    feed(worker);
  }
  stats.workers = workers.length;
  const pool: DerivedPool = {
    result(dir) {
      const found = pending.get(dir);
      if (found === undefined) return Promise.reject(new Error(`no derived data was started for the run in ${dir}`));
      return found.promise;
    },
    published: new Map(),
    stats,
  };
  shared[POOL] = pool;
  return pool;
}

/** This build's pool, started by the content loader. */
export function derivedPool(): DerivedPool {
  const pool = shared[POOL] as DerivedPool | undefined;
  if (pool === undefined) throw new Error('the derived-data pool was not started: the runs collection (site/content.config.ts) starts it');
  return pool;
}
