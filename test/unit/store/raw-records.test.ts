import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRequests, type Truncation } from '../../../collector/store/read-run.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';
import { finalizeRaw, openRawWriter } from '../../../collector/store/write-run.ts';
import { failure } from '../../support/failure.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servebench-raw-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(from: string, truncations: Truncation[] = []): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(from, { onTruncated: (t) => truncations.push(t) })) out.push(record);
  return out;
}


async function goldenRecords(): Promise<RequestRecord[]> {
  return collect(GOLDEN);
}

async function writePlain(records: RequestRecord[], tail = ''): Promise<string> {
  const text = records.map((r) => `${JSON.stringify(r)}\n`).join('') + tail;
  await writeFile(join(dir, 'requests.ndjson'), text);
  return text;
}

describe('raw writer, finalizeRaw and readRequests', () => {
  it('round-trips records through the plain file and then the gzipped one', async () => {
    const records = await goldenRecords();
    const writer = await openRawWriter(dir);
    for (const record of records) await writer.append(record);
    expect(await collect(dir)).toEqual(records);
    await writer.close();
    await finalizeRaw(dir);
    expect((await readdir(dir)).sort()).toEqual(['requests.ndjson.gz']);
    expect(await collect(dir)).toEqual(records);
  });

  it('reads back from a byte offset the writer reported, so a phase can be summarized from disk', async () => {
    const records = await goldenRecords();
    const writer = await openRawWriter(dir);
    for (const record of records.slice(0, 2)) void writer.append(record);
    const offset = writer.bytesWritten();
    for (const record of records.slice(2)) void writer.append(record);
    await writer.flush();
    const tail: RequestRecord[] = [];
    for await (const record of readRequests(dir, { startByte: offset })) tail.push(record);
    expect(tail).toEqual(records.slice(2));
    await writer.close();
  });

  it('puts each record on disk as soon as its append resolves, one line per record', async () => {
    const [first, second] = await goldenRecords();
    const writer = await openRawWriter(dir);
    expect(await readFile(join(dir, 'requests.ndjson'), 'utf8')).toBe('');
    await writer.append(first!);
    expect(await readFile(join(dir, 'requests.ndjson'), 'utf8')).toBe(`${JSON.stringify(first)}\n`);
    const pending = [writer.append(second!), writer.append(first!)];
    await writer.close();
    await Promise.all(pending);
    expect((await readFile(join(dir, 'requests.ndjson'), 'utf8')).split('\n')).toHaveLength(4);
    await expect(writer.append(first!)).rejects.toThrow(/closed/);
  });

  it('is idempotent, including after a crash between the gzip and the removal of the plain file', async () => {
    const records = await goldenRecords();
    const text = await writePlain(records);
    await finalizeRaw(dir);
    await finalizeRaw(dir);
    expect(await readdir(dir)).toEqual(['requests.ndjson.gz']);
    await writeFile(join(dir, 'requests.ndjson'), text);
    await finalizeRaw(dir);
    expect(await readdir(dir)).toEqual(['requests.ndjson.gz']);
    expect(await collect(dir)).toEqual(records);
  });

  it('refuses to finalize when there is no raw file at all', async () => {
    await expect(finalizeRaw(dir)).rejects.toThrow(/requests.ndjson does not exist/);
  });

  it('tolerates a last line cut by a crash mid-write and reports it', async () => {
    const records = await goldenRecords();
    const cut = JSON.stringify(records[3]).slice(0, 120);
    await writePlain(records.slice(0, 3), cut);
    const truncations: Truncation[] = [];
    expect(await collect(dir, truncations)).toEqual(records.slice(0, 3));
    expect(truncations).toEqual([
      { file: join(dir, 'requests.ndjson'), line: 4, reason: 'line 4 was cut short while being written (a crash?) and is ignored' },
    ]);
  });

  it('accepts a complete last line that only lacks its newline', async () => {
    const records = await goldenRecords();
    await writePlain(records.slice(0, 2), JSON.stringify(records[2]));
    const truncations: Truncation[] = [];
    expect(await collect(dir, truncations)).toEqual(records.slice(0, 3));
    expect(truncations).toEqual([]);
  });

  it('tolerates a gzip file whose tail is missing, keeping the records before the cut', async () => {
    const records = await goldenRecords();
    const many = Array.from({ length: 200 }, (_, i) => ({ ...records[i % records.length]!, seq: i }));
    const gz = gzipSync(many.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await writeFile(join(dir, 'requests.ndjson.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const truncations: Truncation[] = [];
    const read = await collect(dir, truncations);
    expect(read.length).toBeGreaterThan(10);
    expect(read.length).toBeLessThan(200);
    expect(read).toEqual(many.slice(0, read.length));
    expect(truncations).toHaveLength(1);
    expect(truncations[0]!.reason).toMatch(/gzip stream ends early/);
  });

  it('rejects a middle line that is not a request record, naming the file, line and field', async () => {
    const records = await goldenRecords();
    const bad = { ...records[1]!, error: { ...records[1]!.error!, kind: 'http_418' } } as unknown as RequestRecord;
    await writePlain([records[0]!, bad, records[2]!]);
    const file = join(dir, 'requests.ndjson');
    const error = await failure(collect(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toMatch(new RegExp(`^${escape(file)} line 2 is not a valid request record \\(run format v4, 1 problem\\):`));
    expect(error.message).toContain(`${file}:2: error.kind: expected one of "connection_refused",`);
    expect(error.message).toContain('got string "http_418"');
  });

  it('rejects a middle line that is not JSON, naming the line and column', async () => {
    const records = await goldenRecords();
    await writePlain([records[0]!], `{"seq": 1,, }\n${JSON.stringify(records[1])}\n`);
    const error = await failure(collect(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(`${join(dir, 'requests.ndjson')} line 2 is not valid JSON: expected double-quoted property name at column 11.`);
  });

  it('prefers the gzipped file when both exist', async () => {
    await cp(join(GOLDEN, 'requests.ndjson.gz'), join(dir, 'requests.ndjson.gz'));
    await writeFile(join(dir, 'requests.ndjson'), 'not json at all\n\n');
    expect(await collect(dir)).toHaveLength(6);
  });

  it('rejects a damaged gzip file and a run without any raw file', async () => {
    await writeFile(join(dir, 'requests.ndjson.gz'), 'this is not gzip');
    expect((await failure(collect(dir))).message).toMatch(/is not a readable gzip file after line 0/);
    await rm(join(dir, 'requests.ndjson.gz'));
    const missing = await failure(collect(dir));
    expect(missing.code).toBe('RUN_INVALID');
    expect(missing.message).toBe(`${dir} has no raw requests file (neither requests.ndjson.gz nor requests.ndjson).`);
    expect((await failure(collect(join(dir, 'gone')))).code).toBe('RUN_NOT_FOUND');
  });

  it('stops reading when the consumer stops early', async () => {
    await cp(join(GOLDEN, 'requests.ndjson.gz'), join(dir, 'requests.ndjson.gz'));
    for await (const record of readRequests(dir)) {
      expect(record.seq).toBe(0);
      break;
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
