// Every run's downloads, written once the pages are built: run.json and requests.ndjson.gz as
// recorded, the CSVs and each chart's Vega-Lite spec from the run's derived bundle. Only runs
// whose report was built get them. As Astro routes they cost a page render each (six per run),
// and the spec route made every page wait for every chart, since a route lists its paths first.
// The run's share cards are written here too (share-cards.ts): this is where the whole run is at hand.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { RAW_FILE, RAW_FILE_GZ, RUN_FILE } from '../../collector/store/schema/index.ts';
import { pruneUnused } from '../../collector/store/prune-unused.ts';
import { loadBundle, type BundleResult } from '../lib/derived/cache.ts';
import { derivedPool } from '../lib/derived/pool.ts';
import { writeShareCards, type CardCounts } from './share-cards.ts';

const PARALLEL_RUNS = 8;

async function writeDownloads(bundle: BundleResult, runDir: string, cardsDir: string, cards: CardCounts): Promise<number> {
  const derived = await loadBundle(bundle.file);
  await mkdir(join(runDir, 'charts'), { recursive: true });
  await copyFile(join(bundle.dir, RUN_FILE), join(runDir, 'run.json'));
  // A run still in progress has a plain requests.ndjson: the download is always gzipped.
  await copyFile(join(bundle.dir, RAW_FILE_GZ), join(runDir, 'requests.ndjson.gz')).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await writeFile(join(runDir, 'requests.ndjson.gz'), gzipSync(await readFile(join(bundle.dir, RAW_FILE))));
  });
  await writeFile(join(runDir, 'summary.csv'), derived.summaryCsv);
  await writeFile(join(runDir, 'requests.csv'), derived.requestsCsv);
  for (const chart of derived.charts) await writeFile(join(runDir, 'charts', `${chart.id}.vl.json`), chart.specJson);
  const drawn = await writeShareCards(derived.run, runDir, cardsDir);
  cards.drawn += drawn.drawn;
  cards.cached += drawn.cached;
  return 4 + derived.charts.length;
}

export function runDownloads(): AstroIntegration {
  let cardsDir = '';
  return {
    name: 'servebench:run-downloads',
    hooks: {
      'astro:config:done': ({ config }) => {
        cardsDir = fileURLToPath(new URL('servebench-cards/', config.cacheDir));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const pool = derivedPool();
        const outDir = fileURLToPath(dir);
        // Keyed by the id of the run as the collection read it, not as the cached bundle says.
        const bundles = [...pool.published.entries()];
        let files = 0;
        let next = 0;
        const cards: CardCounts = { drawn: 0, cached: 0 };
        const worker = async (): Promise<void> => {
          while (next < bundles.length) {
            const [runId, bundle] = bundles[next++]!;
            files += await writeDownloads(bundle, join(outDir, 'runs', runId), cardsDir, cards);
          }
        };
        await Promise.all(Array.from({ length: PARALLEL_RUNS }, worker));
        // For `servebench site build`'s summary.
        (globalThis as Record<symbol, unknown>)[Symbol.for('servebench.site.cardStats')] = cards;
        const pruned = (await pruneUnused(pool.stats.cacheDir)) + (await pruneUnused(cardsDir));
        logger.info(
          `${files} download files for ${bundles.length} run${bundles.length === 1 ? '' : 's'}; share cards: ${cards.drawn} drawn, ${cards.cached} from the cache` +
            `${pruned > 0 ? `; ${pruned} stale cache file${pruned === 1 ? '' : 's'} removed` : ''}`,
        );
      },
    },
  };
}
