// `servebench runs recover` repairs what a full disk or a killed finalisation leaves behind,
// keeps every whole record, says what it dropped, and changes nothing when run again.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../collector/cli.ts';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import type { RequestRecord } from '../../../collector/store/schema/index.ts';
import { captureIO } from '../../support/capture-io.ts';
import { copyGolden, GOLDEN, GOLDEN_ID, goldenRawText, goldenRecords, killedGolden, lines } from '../../support/run-copies.ts';

let tmp: string;
let dir: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-recover-'));
  dir = join(tmp, 'run');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(tmp);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

async function onDisk(from: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(from)) out.push(record);
  return out;
}

const half = (record: RequestRecord): string => JSON.stringify(record).slice(0, 150);

describe('runs recover on a raw file with cut lines', () => {
  it('keeps every whole record around lines cut mid-file, says which lines it dropped, and is safe to run twice', async () => {
    const r = await goldenRecords();
    // Line 3: a record cut by a full disk, then the next one appended on the same line once space came back.
    // Line 4: a record cut, the line ended by the next write's newline only.
    await killedGolden(dir, `${lines([r[0]!, r[1]!])}${half(r[2]!)}${JSON.stringify(r[3])}\n${half(r[4]!)}\n${lines([r[5]!])}`);

    const before = await cli('runs', 'validate', dir);
    expect(before.code).toBe(4);
    expect(before.err).toContain(`${join(dir, 'requests.ndjson')} line 3 is not valid JSON`);
    expect(before.err).toContain(`\`servebench runs recover ${dir}\` keeps every whole record`);

    const first = await cli('runs', 'recover', dir);
    expect(first.code).toBe(0);
    const dropped = 'dropped 2 lines of requests.ndjson that held no whole record (lines 3, 4), keeping 1 whole record written after a cut on the same line: kept the 4 whole records in requests.ndjson';
    expect(first.out).toBe(`recovered run ${GOLDEN_ID} as partial from 4 raw records in ${dir}\n  repaired: ${dropped}\n`);
    const run = await readRun(dir);
    expect(run.status).toBe('partial');
    expect(run.warnings).toContain(`raw file repaired by \`servebench runs recover\`: ${dropped}`);
    expect(await onDisk(dir)).toEqual([r[0], r[1], r[3], r[5]]);
    const counted = run.engines.flatMap((e) => e.phases).reduce((n, p) => n + p.requests.total + p.requests.warmup, 0);
    expect(counted).toBe(4);
    expect((await readdir(dir)).sort()).toEqual(['requests.ndjson.gz', 'run.json']);
    expect((await cli('runs', 'validate', dir)).code).toBe(0);

    const again = await cli('runs', 'recover', dir);
    expect(again.code).toBe(0);
    expect(again.out).toBe(`recovered run ${run.id} as partial from 4 raw records in ${dir}\n`);
    expect(await readRun(dir)).toEqual(run);
    expect(await onDisk(dir)).toEqual([r[0], r[1], r[3], r[5]]);
  });

  it('keeps a whole record written after a cut of only a few bytes', async () => {
    const r = await goldenRecords();
    await killedGolden(dir, `${lines([r[0]!])}{"se${JSON.stringify(r[1])}\n${lines([r[2]!])}`);
    const result = await cli('runs', 'recover', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('dropped 1 line of requests.ndjson that held no whole record (line 2), keeping 1 whole record written after a cut on the same line');
    expect(await onDisk(dir)).toEqual(r.slice(0, 3));
  });

  it('drops a record cut at the end of the file by a kill mid-write, and says so', async () => {
    const r = await goldenRecords();
    await killedGolden(dir, `${lines(r.slice(0, 5))}${half(r[5]!)}`);
    const result = await cli('runs', 'recover', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('from 5 raw records');
    expect(result.out).toContain('dropped 1 line of requests.ndjson that held no whole record (line 6)');
    expect(await onDisk(dir)).toEqual(r.slice(0, 5));
  });
});

describe('runs recover after a finalisation killed midway', () => {
  it('removes temporary files and a plain raw file left beside a complete gzip, and leaves run.json as it was', async () => {
    await copyGolden(dir);
    const gz = await readFile(join(GOLDEN, 'requests.ndjson.gz'));
    await writeFile(join(dir, 'requests.ndjson'), await goldenRawText());
    await writeFile(join(dir, 'requests.ndjson.gz.4242-deadbeef.tmp'), gz.subarray(0, 300));
    await writeFile(join(dir, 'run.json.4242-cafef00d.tmp'), '{"schemaVersion": 3, "id": "');
    const runJson = await readFile(join(dir, 'run.json'), 'utf8');

    const first = await cli('runs', 'recover', dir);
    expect(first.code).toBe(0);
    expect(first.out).toBe(
      `run ${GOLDEN_ID} finished normally (completed): nothing to recover\n` +
        `  repaired: removed 2 temporary files of a write that was stopped midway: requests.ndjson.gz.4242-deadbeef.tmp, run.json.4242-cafef00d.tmp\n` +
        `  repaired: removed requests.ndjson: requests.ndjson.gz beside it is complete (the finalisation stopped before removing it)\n`,
    );
    expect((await readdir(dir)).sort()).toEqual(['requests.ndjson.gz', 'run.json']);
    expect(await readFile(join(dir, 'run.json'), 'utf8')).toBe(runJson);
    expect(await readFile(join(dir, 'requests.ndjson.gz'))).toEqual(gz);

    const again = await cli('runs', 'recover', dir);
    expect(again).toEqual({ code: 0, out: `run ${GOLDEN_ID} finished normally (completed): nothing to recover\n`, err: '' });
  });

  it('replaces a cut gzip with one made from the complete plain file beside it', async () => {
    await copyGolden(dir);
    const gz = await readFile(join(GOLDEN, 'requests.ndjson.gz'));
    await writeFile(join(dir, 'requests.ndjson'), await goldenRawText());
    await writeFile(join(dir, 'requests.ndjson.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const result = await cli('runs', 'recover', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('finished normally (completed): nothing to recover');
    expect(result.out).toMatch(/repaired: removed requests\.ndjson\.gz: the gzip stream ends early: records after line \d+ are lost; requests\.ndjson beside it is used instead/);
    expect((await readdir(dir)).sort()).toEqual(['requests.ndjson.gz', 'run.json']);
    expect(await onDisk(dir)).toEqual(await goldenRecords());
    expect((await cli('runs', 'validate', dir)).code).toBe(0);
  });

  it('keeps the whole records of a gzip cut in half, rebuilds the summaries from them and marks the run partial', async () => {
    await copyGolden(dir);
    const r = await goldenRecords();
    const many = Array.from({ length: 200 }, (_, i) => ({ ...r[i % r.length]!, seq: i }));
    const gz = gzipSync(lines(many));
    await writeFile(join(dir, 'requests.ndjson.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    // The run says 6 requests; give it the 200 a longer run would have counted.
    const doc = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { engines: { label: string; phases: { requests: { total: number } }[] }[] };
    for (const engine of doc.engines) engine.phases[0]!.requests.total = many.filter((m) => m.engine === engine.label && !m.warmup).length;
    await writeFile(join(dir, 'run.json'), JSON.stringify(doc));

    const result = await cli('runs', 'recover', dir);
    expect(result.code).toBe(0);
    const kept = Number(/from (\d+) raw records/.exec(result.out)?.[1]);
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(200);
    expect(result.out).toContain(`note: the run had counted 200 requests; ${200 - kept} are not in the raw file`);
    expect(result.out).toMatch(/repaired: requests\.ndjson\.gz was cut \(the gzip stream ends early: records after line \d+ are lost\)/);
    expect(await onDisk(dir)).toEqual(many.slice(0, kept));
    const run = await readRun(dir);
    expect(run.status).toBe('partial');
    expect(run.warnings).toContain(`the run was completed and counted 200 requests, but its raw file holds ${kept}: the summaries were rebuilt from those, so the run is now partial`);
    expect((await cli('runs', 'validate', dir)).code).toBe(0);
    const again = await cli('runs', 'recover', dir);
    expect(again.code).toBe(0);
    expect(await readRun(dir)).toEqual(run);
  });
});
