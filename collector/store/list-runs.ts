// Every run under a runs directory, newest first. Each run is read on its own, so a corrupt
// one shows up as an error next to the others instead of hiding them.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isServebenchError, type ServebenchError } from '../errors.ts';
import { readRun } from './read-run.ts';
import { RUN_FILE, type Run } from './schema/index.ts';

export type ListedRun = { dir: string; run: Run; error?: undefined } | { dir: string; error: ServebenchError; run?: undefined };

// Bounded so a directory of thousands of runs does not open thousands of files at once.
const PARALLEL_READS = 16;

/** The directories holding run.json, newest id first. A missing runs directory has no runs. */
export async function listRuns(runsDir: string): Promise<ListedRun[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const runDirs: string[] = [];
  for (const name of names) {
    if (await isFile(join(runsDir, name, RUN_FILE))) runDirs.push(name);
  }
  // Ids start with a UTC timestamp, so reverse string order is newest first.
  runDirs.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const listed: ListedRun[] = new Array(runDirs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < runDirs.length) {
      const index = next++;
      const dir = join(runsDir, runDirs[index]!);
      listed[index] = await readRun(dir).then(
        (run): ListedRun => ({ dir, run }),
        (error: unknown): ListedRun => {
          if (isServebenchError(error)) return { dir, error };
          throw error;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, runDirs.length) }, worker));
  return listed;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
