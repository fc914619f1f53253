// Cache directories (derived data, share cards, PDFs) keep what builds use: an entry is touched when
// used, and one no build has used for a week is removed, with any torn temporary file.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How long an entry no build uses is kept. */
export const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

/** Removes the files of `dir` untouched for KEEP_UNUSED_MS; returns how many. A missing dir holds none. */
export async function pruneUnused(dir: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile() || now - info.mtimeMs < KEEP_UNUSED_MS) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}
