// The files of a run as every command that measures starts them: the raw file opened and the
// first run.json written before anything is sent, so a collector killed mid-run leaves a readable
// run that `servebench runs recover` completes from the raw file.
import { rm } from 'node:fs/promises';
import { isServebenchError, ServebenchError } from '../errors.ts';
import type { Run } from '../store/schema/index.ts';
import { openRawWriter, writeRun, type RawWriter } from '../store/write-run.ts';

/**
 * Opens `dir`'s raw file and writes `run` as its run.json. A run that cannot even start writing
 * leaves no directory without a run.json behind, and fails WRITE_FAILED: nothing was measured,
 * so the advice is another --out.
 */
export async function startRunFiles(dir: string, run: Run, outDir: string): Promise<RawWriter> {
  let raw: RawWriter | null = null;
  try {
    raw = await openRawWriter(dir);
    await writeRun(dir, run);
    return raw;
  } catch (error) {
    if (raw) {
      await raw.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
    if (!isServebenchError(error) || error.code !== 'WRITE_FAILED') throw error;
    throw new ServebenchError(
      'WRITE_FAILED',
      `${error.message} Nothing was measured.`,
      `pass --out a directory on a writable disk with free space (now ${outDir}), or make that one writable.`,
      { cause: error.cause },
    );
  }
}
