// The raw writer on a disk that fills: the first failed write stops it, the half-written record
// is cut back off, and the file holds exactly the records whose append resolved.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readRequests, type Truncation } from '../../../collector/store/read-run.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';
import { openRawWriter } from '../../../collector/store/write-run.ts';
import { failure } from '../../support/failure.ts';
import { mountTmpfs } from '../../support/tmpfs.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));
const LINE_BYTES = 3001;

async function goldenRecord(): Promise<RequestRecord> {
  for await (const record of readRequests(GOLDEN)) return record;
  throw new Error('the golden run has no records');
}

/** Records whose lines are LINE_BYTES long: a page (4096 B) never holds a whole number of them. */
async function paddedRecords(n: number): Promise<RequestRecord[]> {
  const base = await goldenRecord();
  return Array.from({ length: n }, (_, seq) => {
    const record = { ...base, seq, text: '' };
    const bytes = Buffer.byteLength(`${JSON.stringify(record)}\n`);
    return { ...record, text: 'x'.repeat(LINE_BYTES - bytes) };
  });
}

const mounted = await mountTmpfs(256 * 1024);
afterAll(async () => {
  await mounted.tmpfs?.unmount();
});

describe.skipIf(mounted.skip !== null)(`the raw writer on a full tmpfs${mounted.skip ? ` (skipped: ${mounted.skip})` : ''}`, () => {
  it('cuts the half-written record back off, refuses every later record, and names the directory and ENOSPC', async () => {
    const tmpfs = mounted.tmpfs!;
    const dir = join(tmpfs.dir, 'run');
    const writer = await openRawWriter(dir);
    await tmpfs.fill(5 * 4096);
    const free = await tmpfs.free();
    const records = await paddedRecords(64);
    const accepted: RequestRecord[] = [];
    let refused: unknown = null;
    for (const record of records) {
      try {
        await writer.append(record);
        accepted.push(record);
      } catch (error) {
        refused = error;
        break;
      }
    }
    const error = await failure(Promise.reject(refused));
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.exitCode).toBe(6);
    expect(error.message).toBe(`cannot write to ${dir}: no space left on the device (ENOSPC) while appending a request record to requests.ndjson.`);
    expect(error.hint).toContain(`servebench runs recover ${dir}`);
    expect(writer.failed.aborted).toBe(true);
    expect(writer.failed.reason).toBe(error);

    // Space was left for part of the refused record: the kernel wrote that part, the writer cut it off.
    const size = (await stat(join(dir, 'requests.ndjson'))).size;
    expect(accepted.length).toBeGreaterThan(0);
    expect(size).toBe(accepted.length * LINE_BYTES);
    expect(free - size).toBeGreaterThan(0);
    expect(free - size).toBeLessThan(LINE_BYTES);
    expect(writer.bytesWritten()).toBe(size);
    const text = await readFile(join(dir, 'requests.ndjson'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const truncations: Truncation[] = [];
    const onDisk: RequestRecord[] = [];
    for await (const record of readRequests(dir, { onTruncated: (t) => truncations.push(t) })) onDisk.push(record);
    expect(truncations).toEqual([]);
    expect(onDisk).toEqual(accepted);

    // Nothing is written after the first failure, even once there is room again.
    await rm(join(tmpfs.dir, 'filler-0'));
    expect(await failure(writer.append(records.at(-1)!))).toBe(error);
    expect(await failure(writer.close())).toBe(error);
    expect((await stat(join(dir, 'requests.ndjson'))).size).toBe(size);
  });
});

describe('the raw writer where it cannot create its file', () => {
  it('fails with WRITE_FAILED naming the directory when a path component is a file', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'servebench-notdir-'));
    try {
      await writeFile(join(tmp, 'runs'), 'not a directory');
      const dir = join(tmp, 'runs', 'some-run');
      const error = await failure(openRawWriter(dir));
      expect(error.code).toBe('WRITE_FAILED');
      expect(error.message).toBe(`cannot write to ${dir}: a part of the path is a file, not a directory (ENOTDIR) while creating requests.ndjson.`);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
