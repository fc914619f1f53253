// The build's data, for pages and endpoints: the runs collection (read and validated once by
// content.config.ts), each run's raw records streamed again from its directory, and its charts.
// Astro renders every page in one process, so the small caches here are shared by the report,
// the responses page and the downloads of a run. Charts come from the worker pool (chart-bundles.ts).
import { readFile } from 'node:fs/promises';
import { getCollection } from 'astro:content';
import { readRequests } from '../../collector/store/read-run.ts';
import type { RequestRecord, Run } from '../../collector/store/schema/index.ts';
import type { SiteChart } from '../lib/charts-adapter.ts';
import { chartPool } from '../lib/charts/pool.ts';
import type { BundleFile } from '../lib/charts/bundle-cache.ts';
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

/** A small LRU: a run's records are needed by several pages rendered one after another. */
function lru<V>(size: number): { get(key: string, make: () => Promise<V>): Promise<V> } {
  const map = new Map<string, Promise<V>>();
  return {
    get(key, make) {
      let value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
      } else {
        value = make();
        value.catch(() => map.delete(key));
      }
      map.set(key, value);
      while (map.size > size) map.delete(map.keys().next().value!);
      return value;
    },
  };
}

const recordCache = lru<RequestRecord[]>(4);

export function runRecords(entry: LoadedRun): Promise<RequestRecord[]> {
  return recordCache.get(entry.dir, async () => {
    const out: RequestRecord[] = [];
    for await (const record of readRequests(entry.dir)) out.push(record);
    return out;
  });
}

/**
 * The run's charts, rendered on the chart pool's workers (site/lib/charts/pool.ts). The run's
 * bundle is recorded as published: the build-done hook writes its spec downloads.
 */
export async function runCharts(entry: LoadedRun): Promise<SiteChart[]> {
  const pool = chartPool();
  const bundle = await pool.result(entry.dir);
  pool.published.set(entry.run.id, bundle);
  return (JSON.parse(await readFile(bundle.file, 'utf8')) as BundleFile).charts;
}

export async function findRun(id: string): Promise<LoadedRun> {
  const found = (await siteData()).runs.find((r) => r.run.id === id);
  if (found === undefined) throw new Error(`no run ${id} in the collection`);
  return found;
}

export type { LoadedRun, Run, SiteChart };

/** getStaticPaths for the pages that exist once per run. */
export async function runPaths(): Promise<{ params: { id: string }; props: { entry: LoadedRun } }[]> {
  const data = await siteData();
  return data.runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }));
}
