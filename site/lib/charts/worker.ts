// A worker thread that renders one run's charts at a time into the chart cache (pool.ts).
// Node runs this file as it is (type stripping), not from the page bundle, so it reads runs with
// the collector's own reader.
import { parentPort } from 'node:worker_threads';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import { chartsFor } from '../charts-adapter.ts';
import { bundleKey, readBundle, writeBundle, type BundleJob, type BundleResult } from './bundle-cache.ts';

async function handle(job: BundleJob): Promise<BundleResult> {
  const key = await bundleKey(job.dir);
  const cached = await readBundle(job.cacheDir, key);
  if (cached !== null) return { dir: job.dir, runId: cached.runId, file: cached.file, chartIds: cached.chartIds, cached: true };
  const run = await readRun(job.dir);
  const charts = await chartsFor(run, readRequests(job.dir));
  const file = await writeBundle(job.cacheDir, run.id, key, charts);
  return { dir: job.dir, runId: run.id, file, chartIds: charts.map((c) => c.id), cached: false };
}

parentPort!.on('message', (job: BundleJob) => {
  handle(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, dir: job.dir, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
