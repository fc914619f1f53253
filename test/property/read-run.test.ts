// The run reader under random damage: run.json files of every schema version with values
// replaced, keys deleted, text cut or spliced with control characters, huge numbers and deep
// nesting; raw request files with arbitrary bytes and cut or corrupt gzip streams. Whatever it
// is given, the reader returns a valid run (or valid records) or throws a ServebenchError with a
// run code, and its message and hint carry no terminal control character.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServebenchError } from '../../collector/errors.ts';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import { RAW_FILE, RAW_FILE_GZ, RequestRecord, Run, RUN_FILE } from '../../collector/store/schema/index.ts';
import { applyTextEdit, controlCharacters, editedJson, jsonEdits, maybeTextEdit } from './fuzz.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/runs/', import.meta.url));
const VERSIONS = ['golden', 'v2-golden', 'v1-first'] as const;
const RUN_CODES = ['RUN_INVALID', 'RUN_NOT_FOUND', 'RUN_FUTURE_VERSION'];

let tmp: string;
const runs = new Map<string, unknown>();
const rawLines = new Map<string, string[]>();

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-fuzz-run-'));
  for (const name of VERSIONS) {
    runs.set(name, JSON.parse(await readFile(join(FIXTURES, name, RUN_FILE), 'utf8')));
    rawLines.set(name, gunzipSync(await readFile(join(FIXTURES, name, RAW_FILE_GZ))).toString('utf8').split('\n').filter((l) => l !== ''));
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Fails unless the error is a ServebenchError with one of the codes and printable text. */
function expectCleanFailure(error: unknown, codes: readonly string[]): void {
  if (!(error instanceof ServebenchError)) throw new Error(`not a ServebenchError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  expect(codes).toContain(error.code);
  expect(controlCharacters(error.message), error.message).toEqual([]);
  expect(controlCharacters(error.hint), error.hint).toEqual([]);
}

let counter = 0;
async function freshDir(): Promise<string> {
  const dir = join(tmp, String(counter++));
  await mkdir(dir);
  return dir;
}

describe('readRun on damaged run files', () => {
  it('returns a valid run or throws a run error with a printable message, for any edit of any schema version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERSIONS), jsonEdits(), maybeTextEdit(), async (version, edits, cut) => {
        const dir = await freshDir();
        let text = editedJson(runs.get(version), edits, 2);
        if (cut !== undefined) text = applyTextEdit(text, cut);
        await writeFile(join(dir, RUN_FILE), text);
        try {
          const run = await readRun(dir);
          expect(Run.safeParse(run).success).toBe(true);
        } catch (error) {
          expectCleanFailure(error, RUN_CODES);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** Raw file contents: edited golden records, written plain or gzipped, the gzip possibly cut or corrupted. */
const rawFile = fc.record({
  version: fc.constantFrom(...VERSIONS),
  line: fc.nat(),
  edits: jsonEdits(),
  text: maybeTextEdit(),
  bytes: fc.option(fc.record({ at: fc.nat(), data: fc.uint8Array({ maxLength: 64 }) }), { nil: undefined }),
  gzip: fc.oneof(
    fc.constant({ kind: 'plain' as const }),
    fc.constant({ kind: 'gzip' as const }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('corrupt' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('garbage' as const), data: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  ),
});

describe('readRequests on damaged raw files', () => {
  it('yields valid records or throws a run error with a printable message, for any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(rawFile, async ({ version, line, edits, text, bytes, gzip }) => {
        const dir = await freshDir();
        const lines = [...rawLines.get(version)!];
        const i = line % lines.length;
        lines[i] = editedJson(JSON.parse(lines[i]!), edits);
        let body = `${lines.join('\n')}\n`;
        if (text !== undefined) body = applyTextEdit(body, text);
        let data = Buffer.from(body, 'utf8');
        if (bytes !== undefined) {
          const at = bytes.at % (data.length + 1);
          data = Buffer.concat([data.subarray(0, at), bytes.data, data.subarray(at)]);
        }
        if (gzip.kind === 'plain') await writeFile(join(dir, RAW_FILE), data);
        else {
          let zipped = gzipSync(data);
          if (gzip.kind === 'cut') zipped = zipped.subarray(0, gzip.at % zipped.length);
          if (gzip.kind === 'corrupt') {
            zipped = Buffer.from(zipped);
            zipped[gzip.at % zipped.length] = gzip.byte;
          }
          if (gzip.kind === 'garbage') zipped = Buffer.concat([zipped, gzip.data]);
          await writeFile(join(dir, RAW_FILE_GZ), zipped);
        }
        try {
          for await (const record of readRequests(dir, { onTruncated: () => undefined })) expect(RequestRecord.safeParse(record).success).toBe(true);
        } catch (error) {
          expectCleanFailure(error, RUN_CODES);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reports a raw file of arbitrary bytes as a run error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.boolean(), async (data, gzipped) => {
        const dir = await freshDir();
        await writeFile(join(dir, gzipped ? RAW_FILE_GZ : RAW_FILE), data);
        try {
          for await (const record of readRequests(dir)) expect(RequestRecord.safeParse(record).success).toBe(true);
        } catch (error) {
          expectCleanFailure(error, RUN_CODES);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
  });
});
