// One collection, `runs`: every run under SERVEBENCH_RUNS (default runs), read by the
// collector's own reader so the site validates and migrates exactly as the CLI does. An
// invalid run stops the build naming its file, field and reason; with SERVEBENCH_SKIP_INVALID=1
// it is stored as a `skipped` entry instead, listed in the build log and on the index page.
// Raw records are validated here but not stored: the derived-data pool (lib/derived/) reads them
// again on its workers, and the collection keeps a digest of each run (lib/load-runs.ts).
import { defineCollection } from 'astro:content';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDerivedPool } from './lib/derived/pool.ts';
import { readRun } from '../collector/store/read-run.ts';
import { notesSourceProblem } from './lib/executive/notes-check.ts';
import { refuseNotes } from './lib/executive/notes-refused.ts';
import { InvalidRunsError, loadRuns, runDirectories, runsDirFromEnv, skipInvalidFromEnv, type RunEntry, type SkippedRun } from './lib/load-runs.ts';

const runs = defineCollection({
  loader: {
    name: 'servebench-runs',
    load: async ({ store, logger, config }) => {
      const runsDir = runsDirFromEnv(process.env);
      const skipInvalid = skipInvalidFromEnv(process.env);
      store.clear();
      // Charts and downloads are derived on worker threads while the runs are read here and the pages rendered.
      const cacheDir = fileURLToPath(new URL('servebench-derived/', config.cacheDir));
      startDerivedPool(
        (await runDirectories(runsDir)).map((name) => ({ dir: join(runsDir, name), cacheDir })),
        { workerFile: new URL('lib/derived/worker.ts', config.srcDir), size: availableParallelism(), cacheDir },
      );
      let loaded;
      try {
        loaded = await loadRuns(runsDir, { skipInvalid });
      } catch (error) {
        // Recorded for `servebench site build`, which maps it to exit code 4 (the error Astro
        // rethrows may be wrapped); Astro prints the message itself.
        if (error instanceof InvalidRunsError) (globalThis as Record<symbol, unknown>)[Symbol.for('servebench.site.invalidRuns')] = error;
        throw error;
      }
      for (const entry of loaded.runs) {
        if (entry.truncation !== null) logger.warn(`run ${entry.run.id}: ${entry.truncation}`);
        store.set({ id: entry.run.id, data: entry as unknown as Record<string, unknown> });
      }
      for (const entry of loaded.skipped) {
        logger.warn(`skipped run ${entry.name}: ${entry.reason}`);
        store.set({ id: `skipped:${entry.name}`, data: entry as unknown as Record<string, unknown> });
      }
      (globalThis as Record<symbol, unknown>)[Symbol.for('servebench.site.skippedRuns')] = loaded.skipped;
      logger.info(`${loaded.runs.length} run${loaded.runs.length === 1 ? '' : 's'} from ${runsDir}${loaded.skipped.length ? `, ${loaded.skipped.length} skipped` : ''}`);
    },
  },
});

/** The file a run directory's own prose is read from. */
export const NOTES_FILE = 'notes.mdx';

/**
 * `notes`: each run directory's notes.mdx, as its source text, keyed by the directory's name; the
 * run's executive page compiles and renders it (lib/executive/notes-render.ts). Each is checked
 * here first (lib/executive/notes-check.ts): one holding code, or naming what its run does not
 * have, stops the build like an invalid run (exit 4), or is left out with --skip-invalid.
 */
const notes = defineCollection({
  loader: {
    name: 'servebench-notes',
    load: async ({ store, logger }) => {
      const runsDir = resolve(runsDirFromEnv(process.env));
      store.clear();
      const refused: SkippedRun[] = [];
      for (const name of await runDirectories(runsDir)) {
        const file = join(runsDir, name, NOTES_FILE);
        const source = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return null;
          throw error;
        });
        if (source === null) continue;
        // The props are checked against the run's run.json; a run that does not read is the runs loader's to report.
        const run = await readRun(join(runsDir, name)).catch(() => undefined);
        const problem = notesSourceProblem(source, file, run && { run, charts: null });
        if (problem === null) store.set({ id: name, data: { source, file } });
        else refused.push({ kind: 'skipped', name, dir: join(runsDir, name), reason: problem });
      }
      refuseNotes(refused, skipInvalidFromEnv(process.env));
      for (const r of refused) logger.warn(`left out the notes of run ${r.name}: ${r.reason}`);
    },
  },
});

export const collections = { runs, notes };

export type { RunEntry };
