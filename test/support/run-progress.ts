// Waiting for a collection to be measuring: the request records its raw file holds on disk. A
// test that interrupts a collector waits for this, not for a guessed delay, so a busy machine
// (a slow start, a slow first request) makes it slower, never wrong.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RAW_FILE } from '../../collector/store/schema/index.ts';

/** Whole records in the in-progress raw file of the newest run under runsDir whose name contains `name`. */
export async function recordsOnDisk(runsDir: string, name = ''): Promise<number> {
  const ids = (await readdir(runsDir).catch(() => [] as string[])).filter((id) => id.includes(name)).sort();
  const id = ids.at(-1);
  if (id === undefined) return 0;
  const raw = await readFile(join(runsDir, id, RAW_FILE)).catch(() => Buffer.alloc(0));
  let lines = 0;
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) lines++;
  return lines;
}

/**
 * Resolves true once that run has `count` records on disk, or false as soon as `ended()` holds
 * (the collector finished or died first: the caller says why that is a failure).
 */
export async function whenRecorded(runsDir: string, count: number, options: { name?: string; ended: () => boolean }): Promise<boolean> {
  for (;;) {
    if (options.ended()) return false;
    if ((await recordsOnDisk(runsDir, options.name)) >= count) return true;
    // Polling the file: the condition is what is waited for; the pause only spaces the reads.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
