// A disk that fills mid-run, and an output directory that cannot be written: `collect` stops at
// the first failed write with exit 6 naming the directory, what it counted is what is on disk,
// and `runs recover` completes the run once space is back.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { recordsCounted } from '../../collector/collect/recover-run.ts';
import { startSimulation, type Simulation } from '../../collector/sim/start.ts';
import { createTraceMemory } from '../../collector/sim/trace.ts';
import { readRequests, readRun, type Truncation } from '../../collector/store/read-run.ts';
import { captureIO } from '../support/capture-io.ts';
import { mountTmpfs } from '../support/tmpfs.ts';

const USERS = 8;
// Mounted before the suites are declared, so a skip can say why.
const small = await mountTmpfs(1024 * 1024);
const readOnly = await mountTmpfs(64 * 1024, ['ro']);

let tmp: string;
let sim: Simulation;
const trace = createTraceMemory();
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-disk-'));
  // About 70 ms per answer of 16 tokens: appends to a tmpfs take microseconds, far less.
  sim = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' }], { seed: 3, overrides: { decodeStepBaseMs: 4 }, trace });
});
afterAll(async () => {
  await sim.close();
  await rm(tmp, { recursive: true, force: true });
  await small.tmpfs?.unmount();
  await readOnly.tmpfs?.unmount();
});

function collect(out: string): string[] {
  const engine = sim.engines[0]!;
  return ['collect', '--engine', `vllm=${engine.url}`, '--model', engine.model, '--requests', '3000', '--concurrency', String(USERS), '--max-tokens', '16', '--out', out, '--progress', 'plain'];
}

describe.skipIf(small.skip !== null)(`collect onto a disk that fills mid-run${small.skip ? ` (skipped: ${small.skip})` : ''}`, () => {
  it('stops at the first failed write with exit 6 naming the directory; the records on disk are the ones counted; runs recover completes the run once space is back', async () => {
    const tmpfs = small.tmpfs!;
    const out = join(tmpfs.dir, 'runs');
    // Room for run.json and about a hundred records: the disk fills long before 3000 requests.
    const filler = await tmpfs.fill(160 * 1024);
    const sentBefore = trace.entries.length;
    const io = captureIO(tmp);
    expect(await main(collect(out), io)).toBe(6);
    const [id] = await readdir(out);
    const dir = join(out, id!);
    const err = io.err();
    expect(err).toContain(`servebench: cannot write to ${dir}: no space left on the device (ENOSPC) while appending a request record to requests.ndjson.`);
    expect(err).toContain(`stopping: cannot write to ${dir}`);
    expect(err).toContain(`\`servebench runs recover ${dir}\``);
    expect(err).toContain('(WRITE_FAILED, exit 6)');
    expect(err).not.toContain('internal error');
    const said = /the (\d+) requests? written before it are in requests\.ndjson \(run\.json could not be updated and still says partial\)/.exec(err);
    expect(said, err).not.toBeNull();
    const counted = Number(said![1]);
    expect(counted).toBeGreaterThan(USERS);

    // What was counted is on disk, whole: no cut line anywhere.
    const raw = await readFile(join(dir, 'requests.ndjson'), 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const truncations: Truncation[] = [];
    let records = 0;
    for await (const _record of readRequests(dir, { onTruncated: (t) => truncations.push(t) })) records += 1;
    expect(truncations).toEqual([]);
    expect(records).toBe(counted);
    expect((await readRun(dir)).status).toBe('partial');
    // Nothing was sent after the failure: at most one request per user was in flight, and at most
    // one finished record per user was waiting for the disk.
    expect(trace.entries.length - sentBefore).toBeLessThanOrEqual(counted + 2 * USERS);

    // Space comes back: recover completes the run from the records on disk.
    await rm(filler);
    const recover = captureIO(tmp);
    expect(await main(['runs', 'recover', dir], recover)).toBe(0);
    expect(recover.out()).toContain(`recovered run ${id} as partial from ${counted} raw records in ${dir}`);
    const run = await readRun(dir);
    expect(run.status).toBe('partial');
    expect(recordsCounted(run)).toBe(counted);
    expect((await readdir(dir)).sort()).toEqual(['requests.ndjson.gz', 'run.json']);
    const validate = captureIO(tmp);
    expect(await main(['runs', 'validate', dir], validate)).toBe(0);
    expect(validate.out()).toBe(`ok ${dir}\n`);
  });
});

describe.skipIf(readOnly.skip !== null)(`collect into a read-only directory${readOnly.skip ? ` (skipped: ${readOnly.skip})` : ''}`, () => {
  it('exits 6 naming the directory and EROFS, sends nothing, and says to pick another --out', async () => {
    const out = join(readOnly.tmpfs!.dir, 'runs');
    const sentBefore = trace.entries.length;
    const io = captureIO(tmp);
    expect(await main(collect(out), io)).toBe(6);
    expect(io.err()).toMatch(new RegExp(`^servebench: cannot write to ${out}/[a-z0-9-]+: the file system is read-only \\(EROFS\\) while creating requests\\.ndjson\\. Nothing was measured\\.\n`));
    expect(io.err()).toContain('hint: pass --out a directory on a writable disk with free space');
    expect(trace.entries.length).toBe(sentBefore);
  });
});

describe('collect into a path that cannot be a directory', () => {
  it('exits 6 naming the directory and ENOTDIR, not an internal error', async () => {
    await writeFile(join(tmp, 'a-file'), 'in the way');
    const out = join(tmp, 'a-file', 'runs');
    const io = captureIO(tmp);
    expect(await main(collect(out), io)).toBe(6);
    expect(io.err()).toMatch(new RegExp(`^servebench: cannot write to ${out}/[a-z0-9-]+: a part of the path is a file, not a directory \\(ENOTDIR\\)`));
    expect(io.err()).toContain('(WRITE_FAILED, exit 6)');
  });
});
