// Writing a run: run.json is validated and replaced atomically; raw records are appended as
// requests finish, so a crash loses at most the record being written, then gzipped at the end.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { formatIssues } from '../format-issues.ts';
import { RAW_FILE, RAW_FILE_GZ, Run, RUN_FILE } from './schema/index.ts';
import type { RequestRecord } from './schema/index.ts';

/** Writes dir/run.json. An invalid run is a servebench bug, so it throws a plain Error and writes nothing. */
export async function writeRun(dir: string, run: Run): Promise<void> {
  const file = join(dir, RUN_FILE);
  const parsed = Run.safeParse(run, { reportInput: true });
  if (!parsed.success) {
    const issues = formatIssues(file, parsed.error.issues);
    throw new Error(`refusing to write an invalid run (a servebench bug):\n${issues.map((l) => `  ${l}`).join('\n')}`);
  }
  await mkdir(dir, { recursive: true });
  await writeAtomically(file, (temp) => writeFile(temp, `${JSON.stringify(parsed.data, null, 2)}\n`, { flag: 'wx' }));
}

export interface RawWriter {
  /** Appends one record; resolves once it is handed to the OS (it survives a crash of servebench). */
  append(record: RequestRecord): Promise<void>;
  /** Resolves when every record appended so far is in the file. */
  flush(): Promise<void>;
  /** Bytes appended so far: the file offset where the next record will start. */
  bytesWritten(): number;
  /** Waits for pending writes, then closes the file. Rejects with the first write error, if any. */
  close(): Promise<void>;
}

/**
 * Opens dir/requests.ndjson for appending (creating it, so an in-progress run always has one).
 * Records are not validated here: that would cost event-loop time while other requests are being
 * timed; `servebench runs validate` checks them afterwards.
 */
export async function openRawWriter(dir: string): Promise<RawWriter> {
  await mkdir(dir, { recursive: true });
  const handle = await open(join(dir, RAW_FILE), 'a');
  // One write per record, chained so records land in the order given.
  let queue: Promise<void> = Promise.resolve();
  let firstError: unknown = null;
  let closed = false;
  let written = (await handle.stat()).size;
  return {
    append(record) {
      if (closed) return Promise.reject(new Error(`raw writer for ${dir} is closed`));
      const line = `${JSON.stringify(record)}\n`;
      written += Buffer.byteLength(line, 'utf8');
      const done = queue.then(async () => {
        await handle.appendFile(line, 'utf8');
      });
      // The queue carries on after a failure; the failure is kept for close() and for this caller.
      queue = done.catch((error: unknown) => {
        firstError ??= error;
      });
      return done;
    },
    async flush() {
      await queue;
    },
    bytesWritten: () => written,
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await handle.close();
      if (firstError !== null) throw firstError;
    },
  };
}

/** Gzips requests.ndjson into requests.ndjson.gz, then removes the plain file. Safe to call again. */
export async function finalizeRaw(dir: string): Promise<void> {
  const plain = join(dir, RAW_FILE);
  const gz = join(dir, RAW_FILE_GZ);
  const [hasPlain, hasGz] = await Promise.all([exists(plain), exists(gz)]);
  if (!hasPlain) {
    if (hasGz) return;
    throw new Error(`cannot finalize the raw requests of ${dir}: ${RAW_FILE} does not exist`);
  }
  // A gz next to the plain file was completed by an earlier call (it only appears by rename)
  // that stopped before removing the plain file.
  if (!hasGz) {
    await writeAtomically(gz, (temp) => pipeline(createReadStream(plain), createGzip(), createWriteStream(temp, { flags: 'wx' })));
  }
  await rm(plain, { force: true });
}

// Write to a temp file in the same directory (same filesystem, so rename is atomic), flush it
// to disk, then rename over the target: readers see the old file or the new one, never half of one.
async function writeAtomically(file: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await write(temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
