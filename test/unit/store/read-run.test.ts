import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRun } from '../../../collector/store/read-run.ts';
import { failure } from '../../support/failure.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/golden/', import.meta.url));

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servebench-read-'));
  await cp(GOLDEN, dir, { recursive: true });
  file = join(dir, 'run.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});


async function editRun(edit: (doc: Record<string, any>) => void): Promise<void> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, any>;
  edit(doc);
  await writeFile(file, JSON.stringify(doc, null, 2));
}

describe('readRun', () => {
  it('reads the golden run', async () => {
    const run = await readRun(dir);
    expect(run.id).toBe('20250612-093000-golden-chat-smoke-3fa4');
  });

  it('reports a missing run as RUN_NOT_FOUND naming the file it looked for', async () => {
    const error = await failure(readRun(join(dir, 'nope')));
    expect(error.code).toBe('RUN_NOT_FOUND');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(join(dir, 'nope', 'run.json'));
    expect(error.hint).toContain('servebench runs list');
  });

  it('reports a truncated run.json as RUN_INVALID naming the file and where the JSON stops', async () => {
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, 3000));
    const before = text.slice(0, 3000).trimEnd();
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(
      `${file} is cut short: the JSON stops in the middle of a value at line ${line}, column ${column}, so the file was not completely written or copied.`,
    );
    expect(error.hint).toMatch(/restore the file from a copy/);
  });

  it('reports a wrongly typed field with its path, the type expected and the value found', async () => {
    await editRun((doc) => {
      doc.engines[0].phases[0].ttftMs.p50 = '12ms';
    });
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(
      `${file} does not match run format v4 (1 problem):\n  ${file}: engines[0].phases[0].ttftMs.p50: expected number, got string "12ms"`,
    );
  });

  it('refuses a scenario nested deeper than any servebench writes, as RUN_INVALID rather than a stack overflow', async () => {
    // Written as text: JSON.stringify would itself recurse this deep.
    const text = await readFile(file, 'utf8');
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    await writeFile(file, text.replace('"scenario": {', `"scenario": {"deep": ${deep},`));
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(`${file}: the scenario nests more than 64 levels deep, deeper than any scenario servebench writes`);
  });

  it('lists every problem, not only the first', async () => {
    await editRun((doc) => {
      doc.status = 'done';
      doc.engines[0].phases[0].ttftMs.p50 = '12ms';
      delete doc.engines[1].label;
      doc.startedAt = 'yesterday';
    });
    const error = await failure(readRun(dir));
    expect(error.message).toMatch(/\(4 problems\):/);
    expect(error.message).toContain(`${file}: status: expected one of "completed", "failed", "aborted", "partial", got string "done"`);
    expect(error.message).toContain(`${file}: engines[1].label: missing, expected string`);
    expect(error.message).toContain(`${file}: startedAt: expected an ISO 8601 date-time`);
  });

  it('reports a run from a newer servebench as RUN_FUTURE_VERSION with both versions', async () => {
    await editRun((doc) => {
      doc.schemaVersion = 99;
    });
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_FUTURE_VERSION');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(new RegExp(`^${escape(file)} is in run format v99, but this servebench \\(.+\\) reads run formats up to v4\\.$`));
    expect(error.hint).toMatch(/upgrade servebench/);
  });

  it('rejects a missing schemaVersion', async () => {
    await editRun((doc) => {
      delete doc.schemaVersion;
    });
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(`${file} has no schemaVersion, so servebench cannot tell which run format it is in.`);
  });

  it('rejects a schemaVersion that is not a positive integer, showing what it is', async () => {
    for (const [value, shown] of [['1', 'string "1"'], [1.5, 'number 1.5'], [null, 'null']] as const) {
      await editRun((doc) => {
        doc.schemaVersion = value;
      });
      const error = await failure(readRun(dir));
      expect(error.code).toBe('RUN_INVALID');
      expect(error.message).toBe(`${file}: schemaVersion: expected a positive integer, got ${shown}.`);
    }
  });

  it('rejects version 0, which no servebench ever wrote', async () => {
    await editRun((doc) => {
      doc.schemaVersion = 0;
    });
    const error = await failure(readRun(dir));
    expect(error.code).toBe('RUN_INVALID');
    expect(error.message).toBe(`${file}: schemaVersion: expected a positive integer, got number 0.`);
  });

  it('keeps terminal control characters from the file out of the message', async () => {
    await writeFile(file, '{"schemaVersion": 1, "id": \u001b[31m}');
    const error = await failure(readRun(dir));
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain('\\u001b');
  });

  it('places a syntax error in the middle of the file by line and column', async () => {
    await writeFile(file, '{\n  "schemaVersion": 1,\n  "id": "x"\n  "name": "y"\n}\n');
    const error = await failure(readRun(dir));
    expect(error.message).toBe(`${file} is not valid JSON: expected ',' or '}' after property value at line 4, column 3.`);
    await writeFile(file, '{"schemaVersion": 1}\n}\n');
    expect((await failure(readRun(dir))).message).toBe(`${file} is not valid JSON: unexpected non-whitespace character after JSON at line 2, column 1.`);
  });

  it('places an unexpected token even where the JSON parser gives no position', async () => {
    await writeFile(file, '{\n  "schemaVersion": 1,\n  "id": nope\n}\n');
    const error = await failure(readRun(dir));
    expect(error.message).toBe(`${file} is not valid JSON: unexpected token 'o' at line 3, column 10.`);
  });

  it('says plainly when run.json is empty or is not an object', async () => {
    await writeFile(file, '');
    expect((await failure(readRun(dir))).message).toBe(`${file} is empty, so the run was not completely written or copied.`);
    await writeFile(file, '[1, 2]');
    expect((await failure(readRun(dir))).message).toBe(
      `${file} does not hold a run: expected a JSON object at the top level, got array (2 items).`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
