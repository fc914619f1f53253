// The spec downloads of every chart (runs/<id>/charts/<chart>.vl.json), written once the pages
// are built, straight from the chart bundles the report pages used. As Astro routes they would
// make every page wait until all charts of the site were rendered, since a route has to list its
// paths before its first page is rendered.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { pruneBundles, type BundleFile } from '../lib/charts/bundle-cache.ts';
import { chartPool } from '../lib/charts/pool.ts';

const PARALLEL_WRITES = 8;

export function chartSpecDownloads(): AstroIntegration {
  return {
    name: 'servebench:chart-specs',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pool = chartPool();
        const outDir = fileURLToPath(dir);
        const bundles = [...pool.published.values()];
        let files = 0;
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < bundles.length) {
            const bundle = bundles[next++]!;
            const { charts } = JSON.parse(await readFile(bundle.file, 'utf8')) as BundleFile;
            const chartsDir = join(outDir, 'runs', bundle.runId, 'charts');
            await mkdir(chartsDir, { recursive: true });
            for (const chart of charts) {
              await writeFile(join(chartsDir, `${chart.id}.vl.json`), chart.specJson);
              files++;
            }
          }
        };
        await Promise.all(Array.from({ length: PARALLEL_WRITES }, worker));
        const pruned = await pruneBundles(pool.stats.cacheDir);
        const { rendered, cached, workers } = pool.stats;
        logger.info(`charts: ${rendered} run${rendered === 1 ? '' : 's'} rendered on ${workers} worker${workers === 1 ? '' : 's'}, ${cached} from the cache; ${files} spec files${pruned > 0 ? `; ${pruned} stale cache files removed` : ''}`);
      },
    },
  };
}
