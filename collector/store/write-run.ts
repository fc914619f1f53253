// Writing a run: run.json is validated and replaced atomically; raw records are appended as
// requests finish, so a crash loses at most the record being written, then gzipped at the end.
// A failed write (full disk, read-only disk, I/O error) is a WRITE_FAILED ServebenchError naming
// the directory and the OS error code, and never leaves half a record in the middle of the file.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ServebenchError } from '../errors.ts';
import { formatIssues } from '../format-issues.ts';
import { readRequests, type Truncation } from './read-run.ts';
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
  try {
    await makeDirectory(dir);
    await writeAtomically(file, (temp) => writeFile(temp, `${JSON.stringify(parsed.data, null, 2)}\n`, { flag: 'wx' }));
  } catch (error) {
    throw writeFailed(error, dir, `writing ${RUN_FILE}`);
  }
}

export interface RawWriter {
  /**
   * Appends one record; resolves once it is handed to the OS (it survives a crash of servebench).
   * Rejects with the WRITE_FAILED error when this write or an earlier one failed: that record is
   * not in the file.
   */
  append(record: RequestRecord): Promise<void>;
  /** Resolves when every record appended so far is in the file or was refused. Never rejects. */
  flush(): Promise<void>;
  /** The file offset where the next record will start (after a failure: the end of the last whole record). */
  bytesWritten(): number;
  /** Aborted at the first write error, with its WRITE_FAILED ServebenchError as the reason. Nothing is written after it. */
  failed: AbortSignal;
  /** Waits for pending writes, syncs and closes the file. Rejects with the first write error, if any. */
  close(): Promise<void>;
}

/**
 * Opens dir/requests.ndjson for appending (creating it, so an in-progress run always has one).
 * Records are not validated here: that would cost event-loop time while other requests are being
 * timed; `servebench runs validate` checks them afterwards.
 *
 * The first failed write stops the writer: the file is cut back to the end of its last whole
 * record (a full disk often takes half a record first), `failed` is aborted, and every later
 * append is refused. So the file holds exactly the records whose append resolved.
 */
export async function openRawWriter(dir: string): Promise<RawWriter> {
  const file = join(dir, RAW_FILE);
  let handle: FileHandle;
  try {
    await makeDirectory(dir);
    handle = await open(file, 'a');
  } catch (error) {
    throw writeFailed(error, dir, `creating ${RAW_FILE}`);
  }
  const failed = new AbortController();
  // One write per record, chained so records land in the order given.
  let queue: Promise<void> = Promise.resolve();
  let failure: ServebenchError | null = null;
  let closing: Promise<void> | null = null;
  /** End of the last record the OS took whole; `queued` also counts records still waiting. */
  let durable = (await handle.stat()).size;
  let queued = durable;
  const fail = async (error: unknown, doing: string, cutBack: boolean): Promise<ServebenchError> => {
    if (failure) return failure;
    let cut = '';
    if (cutBack) {
      try {
        await handle.truncate(durable);
      } catch (truncateError) {
        cut = `; cutting the half-written record back off failed too (${errnoOf(truncateError) ?? String(truncateError)}): \`servebench runs recover\` removes it`;
      }
    }
    failure = writeError(error, dir, `${doing}${cut}`);
    failed.abort(failure);
    return failure;
  };
  return {
    append(record) {
      if (closing) return Promise.reject(new Error(`raw writer for ${dir} is closed`));
      if (failure) return Promise.reject(failure);
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      queued += line.length;
      const done = queue.then(async () => {
        if (failure) throw failure;
        try {
          // A plain write on a file opened to append: appendFile goes through writeFile's machinery
          // for every record. A short write is finished by the loop.
          for (let at = 0; at < line.length; ) {
            const { bytesWritten } = await handle.write(line, at);
            if (bytesWritten === 0) throw Object.assign(new Error('the file system took no bytes'), { code: 'EIO' });
            at += bytesWritten;
          }
        } catch (error) {
          throw await fail(error, `appending a request record to ${RAW_FILE}`, true);
        }
        durable += line.length;
      });
      // The queue carries on to refuse later records; the failure goes to this caller and to close().
      queue = done.catch(() => undefined);
      return done;
    },
    flush: () => queue,
    bytesWritten: () => (failure ? durable : queued),
    failed: failed.signal,
    close() {
      closing ??= (async () => {
        await queue;
        // Some file systems (NFS, a disk that fails at writeback) report errors only here.
        if (!failure) await handle.sync().catch((error: unknown) => fail(error, `syncing ${RAW_FILE} to disk`, false));
        await handle.close().catch((error: unknown) => fail(error, `closing ${RAW_FILE}`, false));
        if (failure) throw failure;
      })();
      return closing;
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
  try {
    if (!hasGz) {
      await writeAtomically(gz, (temp) => pipeline(createReadStream(plain), createGzip(), createWriteStream(temp, { flags: 'wx' })));
    }
    await rm(plain, { force: true });
  } catch (error) {
    throw writeFailed(error, dir, `gzipping ${RAW_FILE} into ${RAW_FILE_GZ}`);
  }
}

// Write to a temp file in the same directory (same filesystem, so rename is atomic), flush it
// to disk, then rename over the target: readers see the old file or the new one, never half of one.
async function writeAtomically(file: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
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
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** mkdir -p that reports why a missing parent could not be made (Node says ENOENT, not EROFS or EACCES). */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    const missing: string[] = [];
    for (let d = dir; dirname(d) !== d && !(await exists(d)); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      await mkdir(d).catch((inner: unknown) => {
        if (errnoOf(inner) !== 'EEXIST') throw inner;
      });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The names writeAtomically gives its temporary files: `<target>.<pid>-<8 hex>.tmp`. */
const TEMP_SUFFIX = '.tmp';
const TEMP_NAME = /^(.+)\.\d+-[0-9a-f]{8}\.tmp$/;

const OS_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an I/O error on the device',
  EFBIG: 'the file is larger than the system allows',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file is in the way',
  ENOENT: 'a directory on the way is missing',
};

/** The OS error code (ENOSPC, EROFS, …) of a failed file system call, null for anything else. */
export function errnoOf(error: unknown): string | null {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && typeof syscall === 'string' ? code : null;
}

/**
 * A failed file system call while writing the run in `dir` as a WRITE_FAILED error (exit 6)
 * naming the directory and the OS error code; any other error (a servebench bug) is returned as is.
 */
export function writeFailed(error: unknown, dir: string, doing: string): unknown {
  if (error instanceof ServebenchError || errnoOf(error) === null) return error;
  return writeError(error, dir, doing);
}

function writeError(error: unknown, dir: string, doing: string): ServebenchError {
  const code = errnoOf(error);
  const reason = code === null ? String(error instanceof Error ? error.message : error) : `${OS_REASONS[code] ?? (error as Error).message} (${code})`;
  return new ServebenchError(
    'WRITE_FAILED',
    `cannot write to ${dir}: ${reason} while ${doing}.`,
    `free space on that disk or make it writable again, then run \`servebench runs recover ${dir}\`: it completes the run from the records on disk.`,
    { cause: error },
  );
}

export interface RawRepair {
  /** Leftover temporary files of an atomic write that was killed midway, removed. */
  removedTemps: string[];
  /** Lines dropped from the raw file because they held no whole valid record (1-based, in `file`). */
  droppedLines: number[];
  /** Whole records found after a cut on the same line (a write that followed a half-written one), kept. */
  salvaged: number;
  /** What was wrong and what was done, one sentence each, for the command's output and the run's warnings. */
  notes: string[];
}

/**
 * Puts the raw file of `dir` back in a readable state, keeping every whole valid record:
 * removes the temporary files of an interrupted finalisation, settles a plain file left next to
 * its gzip, salvages a gzip that was cut, and rewrites a raw file with damaged lines (a cut line
 * anywhere, from a disk that filled and emptied again) without them. Safe to run again: a sound
 * directory is left as it is.
 */
export async function repairRaw(dir: string): Promise<RawRepair> {
  const repair: RawRepair = { removedTemps: [], droppedLines: [], salvaged: 0, notes: [] };
  try {
    await repairIn(dir, repair);
  } catch (error) {
    throw writeFailed(error, dir, `repairing ${RAW_FILE}`);
  }
  return repair;
}

async function repairIn(dir: string, repair: RawRepair): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    const target = TEMP_NAME.exec(name)?.[1];
    if (target !== RUN_FILE && target !== RAW_FILE_GZ && target !== RAW_FILE) continue;
    await rm(join(dir, name), { force: true });
    repair.removedTemps.push(name);
  }
  if (repair.removedTemps.length > 0) {
    repair.notes.push(`removed ${repair.removedTemps.length} temporary file${repair.removedTemps.length === 1 ? '' : 's'} of a write that was stopped midway: ${repair.removedTemps.join(', ')}`);
  }
  const plain = join(dir, RAW_FILE);
  const gz = join(dir, RAW_FILE_GZ);
  const [hasPlain, hasGz] = await Promise.all([exists(plain), exists(gz)]);
  if (hasGz) {
    // readRequests reads the gzip when both files are there.
    const check = await scanRaw(dir);
    if (check.sound) {
      if (hasPlain) {
        await rm(plain, { force: true });
        repair.notes.push(`removed ${RAW_FILE}: ${RAW_FILE_GZ} beside it is complete (the finalisation stopped before removing it)`);
      }
      return;
    }
    if (hasPlain) {
      await rm(gz, { force: true });
      repair.notes.push(`removed ${RAW_FILE_GZ}: ${check.problem}; ${RAW_FILE} beside it is used instead`);
    } else {
      await writeAtomically(plain, (temp) => writeRecords(temp, dir));
      await rm(gz, { force: true });
      note(repair, check, RAW_FILE_GZ);
      return;
    }
  }
  if (!hasPlain) return;
  const check = await scanRaw(dir);
  if (check.sound) return;
  await writeAtomically(plain, (temp) => writeRecords(temp, dir));
  note(repair, check, RAW_FILE);
}

interface RawScan {
  sound: boolean;
  problem: string;
  records: number;
  droppedLines: number[];
  salvaged: number;
  truncation: Truncation | null;
}

/** Reads the raw file as repair would keep it: whole valid records only, noting what it skips. */
async function scanRaw(dir: string): Promise<RawScan> {
  const scan: RawScan = { sound: true, problem: '', records: 0, droppedLines: [], salvaged: 0, truncation: null };
  for await (const _record of readRequests(dir, {
    onTruncated: (t) => {
      scan.truncation = t;
      if (!t.reason.startsWith('the gzip')) scan.droppedLines.push(t.line);
    },
    onDamaged: (d) => {
      scan.droppedLines.push(d.line);
      if (d.salvaged) scan.salvaged += 1;
    },
  })) {
    scan.records += 1;
  }
  scan.sound = scan.truncation === null && scan.droppedLines.length === 0;
  if (!scan.sound) scan.problem = scan.truncation?.reason.startsWith('the gzip') ? scan.truncation.reason : `${plural(scan.droppedLines.length, 'damaged line')}`;
  return scan;
}

function note(repair: RawRepair, scan: RawScan, name: string): void {
  repair.droppedLines.push(...scan.droppedLines);
  repair.salvaged += scan.salvaged;
  const parts: string[] = [];
  if (scan.truncation?.reason.startsWith('the gzip')) parts.push(`${name} was cut (${scan.truncation.reason})`);
  if (scan.droppedLines.length > 0) {
    const kept = scan.salvaged > 0 ? `, keeping ${plural(scan.salvaged, 'whole record')} written after a cut on the same line` : '';
    parts.push(`dropped ${plural(scan.droppedLines.length, 'line')} of ${name} that held no whole record (line${scan.droppedLines.length === 1 ? '' : 's'} ${scan.droppedLines.join(', ')})${kept}`);
  }
  repair.notes.push(`${parts.join('; ')}: kept the ${plural(scan.records, 'whole record')} in ${RAW_FILE}`);
}

async function writeRecords(temp: string, dir: string): Promise<void> {
  const out = createWriteStream(temp, { flags: 'wx' });
  async function* lines(): AsyncGenerator<string> {
    for await (const record of readRequests(dir, { onTruncated: () => undefined, onDamaged: () => undefined })) yield `${JSON.stringify(record)}\n`;
  }
  await pipeline(lines, out);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
