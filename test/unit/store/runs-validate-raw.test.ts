// `servebench runs validate` compares a finished run's raw file with what its summaries count.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../collector/cli.ts';
import { captureIO } from '../../support/capture-io.ts';
import { copyGolden, GOLDEN, GOLDEN_ID, goldenRecords, killedGolden, lines } from '../../support/run-copies.ts';

let tmp: string;
let dir: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-validate-'));
  dir = join(tmp, 'run');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function validate(): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(tmp);
  const code = await main(['runs', 'validate', dir], io);
  return { code, out: io.out(), err: io.err() };
}

describe('runs validate on a raw file shorter than its run', () => {
  it('fails a completed run whose gzip holds fewer whole records than its phases count', async () => {
    await copyGolden(dir);
    await writeFile(join(dir, 'requests.ndjson.gz'), gzipSync(lines((await goldenRecords()).slice(0, 4))));
    const { code, out, err } = await validate();
    expect(code).toBe(4);
    expect(out).toBe('');
    expect(err).toBe(
      `servebench: ${join(dir, 'requests.ndjson.gz')} is shorter than its run says: run ${GOLDEN_ID} is completed and counts 6 requests, but the file holds 4 whole records.\n` +
        `  hint: the raw file was cut after servebench finished it (a full disk, an interrupted copy): restore it from a copy, or run \`servebench runs recover ${dir}\` to keep the 4 whole records and rebuild the summaries from them (the run becomes partial).\n` +
        '  (RUN_INVALID, exit 4)\n',
    );
  });

  it('fails a completed run whose gzip was cut in half, even where no count could tell', async () => {
    await copyGolden(dir);
    const gz = await readFile(join(GOLDEN, 'requests.ndjson.gz'));
    await writeFile(join(dir, 'requests.ndjson.gz'), gz.subarray(0, gz.length - 8));
    const { code, err } = await validate();
    expect(code).toBe(4);
    expect(err).toMatch(/requests\.ndjson\.gz is shorter than its run says: run \S+ is completed and counts 6 requests, but the file holds \d whole records? \(the gzip stream ends early: records after line \d are lost\)\./);
  });

  it('accepts a partial run with a cut last line, with a warning that points at runs recover', async () => {
    const r = await goldenRecords();
    await killedGolden(dir, `${lines(r.slice(0, 2))}${JSON.stringify(r[2]).slice(0, 40)}`);
    const { code, out } = await validate();
    expect(code).toBe(0);
    expect(out).toBe(
      `ok ${dir}\n` +
        `  note: ${join(dir, 'requests.ndjson')}: line 3 was cut short while being written (a crash?) and is ignored\n` +
        `  warning: run ${GOLDEN_ID} is partial: its collector is still running or stopped before it finished; if it is not running, \`servebench runs recover ${dir}\` completes it from its 2 raw records\n`,
    );
  });

  it('accepts the golden run as it is', async () => {
    await copyGolden(dir);
    expect(await validate()).toEqual({ code: 0, out: `ok ${dir}\n`, err: '' });
  });
});
