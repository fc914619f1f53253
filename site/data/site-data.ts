// The build's data, for pages: the runs collection (read and validated once by content.config.ts)
// and what is derived from each run's raw records on the worker pool (site/lib/derived/).
import { getCollection } from 'astro:content';
import { loadBundle, type BundleFile } from '../lib/derived/cache.ts';
import { derivedPool } from '../lib/derived/pool.ts';
import { newestFirst, type LoadedRun, type RunEntry, type SkippedRun } from '../lib/load-runs.ts';
import { facets, type Facets } from '../lib/runs.ts';

export interface SiteData {
  /** Newest first. */
  runs: LoadedRun[];
  skipped: SkippedRun[];
  facets: Facets;
  anySimulated: boolean;
}

let data: Promise<SiteData> | undefined;

export function siteData(): Promise<SiteData> {
  data ??= (async () => {
    const entries = (await getCollection('runs')).map((e) => e.data as unknown as RunEntry);
    const runs = entries.filter((e): e is LoadedRun => e.kind === 'run').sort(newestFirst);
    const skipped = entries.filter((e): e is SkippedRun => e.kind === 'skipped').sort((a, b) => a.name.localeCompare(b.name));
    return { runs, skipped, facets: facets(runs.map((r) => r.run)), anySimulated: runs.some((r) => r.run.engines.some((e) => e.simulated)) };
  })();
  return data;
}

// The last bundle read: a run's report and its responses page may be rendered one after another.
let last: { file: string; bundle: Promise<BundleFile> } | undefined;

/**
 * What the site derives from the run's raw records (charts, responses sample, CSV downloads),
 * made on the pool's worker threads (site/lib/derived/pool.ts). The run is recorded as published:
 * the build-done hook writes its downloads.
 */
export async function runDerived(entry: LoadedRun): Promise<BundleFile> {
  const pool = derivedPool();
  const result = await pool.result(entry.dir);
  pool.published.set(entry.run.id, result);
  if (last?.file !== result.file) last = { file: result.file, bundle: loadBundle(result.file) };
  return last.bundle;
}

export type { LoadedRun };

/** getStaticPaths for the pages that exist once per run. */
export async function runPaths(): Promise<{ params: { id: string }; props: { entry: LoadedRun } }[]> {
  const data = await siteData();
  return data.runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }));
}
