// `servebench runs validate` through the real CLI entry: the acceptance cases of the run format.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { captureIO } from '../support/capture-io.ts';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'runs', 'golden');

describe('servebench runs validate', () => {
  let tmp: string;
  const broken = async (name: string, edit: (text: string) => string): Promise<string> => {
    const dir = join(tmp, name);
    await cp(GOLDEN, dir, { recursive: true });
    const file = join(dir, 'run.json');
    await writeFile(file, edit(await readFile(file, 'utf8')));
    return dir;
  };
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-validate-'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('accepts the golden v1 run with exit code 0', async () => {
    const io = captureIO(tmp);
    expect(await main(['runs', 'validate', GOLDEN], io)).toBe(0);
    expect(io.out()).toContain(`ok ${GOLDEN}`);
  });

  it('rejects a truncated run file with exit code 4, naming the file and where it stops', async () => {
    const dir = await broken('truncated', (t) => t.slice(0, Math.floor(t.length / 2)));
    const io = captureIO(tmp);
    expect(await main(['runs', 'validate', dir], io)).toBe(4);
    expect(io.err()).toContain(join(dir, 'run.json'));
    expect(io.err()).toMatch(/cut short.*line \d+, column \d+/);
    expect(io.err()).toContain('RUN_INVALID');
  });

  it('rejects a wrongly typed field with exit code 4, naming the field path and the expectation', async () => {
    const dir = await broken('wrong-type', (t) => {
      const run = JSON.parse(t);
      run.engines[0].phases[0].ttftMs.p50 = '12ms';
      return JSON.stringify(run);
    });
    const io = captureIO(tmp);
    expect(await main(['runs', 'validate', dir], io)).toBe(4);
    expect(io.err()).toContain('engines[0].phases[0].ttftMs.p50: expected number, got string "12ms"');
  });

  it('rejects a future-version run with exit code 4 and says to upgrade', async () => {
    const dir = await broken('future', (t) => t.replace('"schemaVersion": 4', '"schemaVersion": 7'));
    const io = captureIO(tmp);
    expect(await main(['runs', 'validate', dir], io)).toBe(4);
    expect(io.err()).toContain('run format v7');
    expect(io.err()).toContain('upgrade servebench');
    expect(io.err()).toContain('RUN_FUTURE_VERSION');
  });

  it('validates every run under a runs directory and exits 4 when one is invalid', async () => {
    const io = captureIO(tmp);
    expect(await main(['runs', 'validate', '--runs', tmp], io)).toBe(4);
    expect(io.out()).toContain('INVALID');
    expect(io.err()).toContain('3 of 3 runs');
  });
});
