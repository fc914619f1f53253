// What `servebench pdf` refuses before it starts a browser: a directory that holds no built site
// (or a damaged manifest), and a run the site does not have.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServebenchError } from '../../../collector/errors.ts';
import { exportPdfs, type PdfExportOptions } from '../../../collector/pdf/export.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-pdf-export-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const options = (named: string[] = []): PdfExportOptions => ({
  outDir: tmp,
  selection: { all: false, named },
  format: 'A4',
  cacheDir: join(tmp, 'cache'),
  env: {},
  serve: () => Promise.reject(new Error('no server should be started')),
});

async function failure(promise: Promise<unknown>): Promise<ServebenchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServebenchError);
  return error as ServebenchError;
}

describe('exportPdfs', () => {
  it('refuses a directory with no built site, saying how to build one', async () => {
    const error = await failure(exportPdfs(options()));
    expect([error.code, error.exitCode]).toEqual(['BAD_FLAG', 2]);
    expect(error.message).toContain('no built site in');
    expect(error.hint).toContain('servebench site build');
  });

  it('refuses a damaged manifest the same way, not with a crash', async () => {
    await writeFile(join(tmp, 'servebench-site.json'), '{"base": "/", "runs": [');
    expect((await failure(exportPdfs(options()))).code).toBe('BAD_FLAG');
  });

  it('refuses a run the site does not have (exit 4), naming it', async () => {
    await writeFile(join(tmp, 'servebench-site.json'), JSON.stringify({ base: '/', runs: ['20250101-000000-a-0001'] }));
    const error = await failure(exportPdfs(options(['20250101-000000-a-0001', '20990101-000000-nope-0000'])));
    expect([error.code, error.exitCode]).toEqual(['RUN_NOT_FOUND', 4]);
    expect(error.message).toContain('has no run 20990101-000000-nope-0000');
    expect(error.message).not.toContain('a-0001');
  });
});
