// A worker thread that derives one run at a time into the cache (pool.ts): its charts, the
// responses sample, the CSV downloads and why requests failed, from one read of its raw records.
// Node runs this file as it is (type stripping), not from the page bundle, so it reads runs with
// the collector's own reader.
import { parentPort } from 'node:worker_threads';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';
import { failureReasonsBuilder } from '../executive/recommendations.ts';
import { chartsFor } from '../report/site-charts.ts';
import { requestsCsv, summaryCsv } from '../report/csv.ts';
import { conversations, samplePrompts } from '../report/responses.ts';
import { bundleKey, readBundle, writeBundle, type BundleJob, type BundleResult } from './cache.ts';

async function handle(job: BundleJob): Promise<BundleResult> {
  const key = await bundleKey(job.dir);
  const cached = await readBundle(job.cacheDir, key);
  if (cached !== null && !('rejected' in cached)) return { dir: job.dir, runId: cached.runId, file: cached.file, cached: true };
  const run = await readRun(job.dir);
  const records: RequestRecord[] = [];
  const failures = failureReasonsBuilder();
  for await (const record of readRequests(job.dir)) {
    records.push(record);
    failures.add(record);
  }
  const charts = await chartsFor(run, records);
  const file = await writeBundle(job.cacheDir, run.id, key, {
    run,
    charts,
    prompts: samplePrompts(run, records),
    conversations: conversations(run, records),
    requestsCsv: requestsCsv(records),
    summaryCsv: summaryCsv(run),
    failureReasons: failures.finish(),
  });
  return { dir: job.dir, runId: run.id, file, cached: false, ...(cached !== null ? { rejected: cached.rejected } : {}) };
}

parentPort!.on('message', (job: BundleJob) => {
  handle(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, dir: job.dir, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
