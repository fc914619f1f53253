// The config reader under random damage: the shipped scenario files with values replaced, keys
// renamed or deleted, text cut or spliced with control characters and YAML's sharper features
// (tags, anchors, aliases, merge keys, several documents, deep nesting). Whatever the file holds,
// readConfigFile returns a valid config or throws BAD_CONFIG, its message and hint free of
// terminal control characters, and prints nothing itself.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { SCENARIOS_DIR } from '../../collector/commands/scenario.ts';
import { readConfigFile } from '../../collector/config/load.ts';
import { ConfigFile } from '../../collector/config/schema.ts';
import { ServebenchError } from '../../collector/errors.ts';
import { applyTextEdit, controlCharacters, controlString, editedJson, jsonEdits, maybeTextEdit, textEdit } from './fuzz.ts';

const CONFIG_CODES = ['BAD_CONFIG', 'CONFIG_NOT_FOUND'];

/** YAML that only YAML has: tags, anchors and aliases, merge keys, complex keys, directives, more documents. */
const YAML_SNIPPETS = [
  '!!binary aGVsbG8=',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!!timestamp 2001-12-14',
  '!!js/function "x"',
  '!foo bar',
  '!<tag:yaml.org,2002:int> 5',
  '&x [1, 2]',
  '*x',
  '*nope',
  '*nope\u0085\u001b[2J',
  '<<: *x',
  '? [a, b]\n: c',
  '\n---\nname: second\n',
  '%YAML 1.1\n---\n',
  '.nan',
  '.inf',
  '~',
  '0o17',
  '0x1F',
  '12345678901234567890123',
  '"\\u0085\\x1b[2J\\a"',
  "'\u0085\u001b'",
  '|\n  block\n',
  '\t',
  '\ufeff',
  'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
];

const yamlInsert = fc.record({
  kind: fc.constant('insert' as const),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...YAML_SNIPPETS), controlString, fc.integer({ min: 1, max: 2_000 }).map((n) => '- '.repeat(n))),
});

let tmp: string;
const sources: Array<{ name: string; text: string; doc: unknown }> = [];
let warn: ReturnType<typeof vi.spyOn>;
let emitWarning: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-fuzz-config-'));
  for (const name of (await readdir(SCENARIOS_DIR)).sort()) {
    const text = await readFile(join(SCENARIOS_DIR, name), 'utf8');
    sources.push({ name, text, doc: parse(text) as unknown });
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  warn = vi.spyOn(console, 'warn');
  emitWarning = vi.spyOn(process, 'emitWarning');
});
afterEach(() => {
  vi.restoreAllMocks();
});

let counter = 0;

async function check(text: string): Promise<void> {
  warn.mockClear();
  emitWarning.mockClear();
  const file = join(tmp, `${counter++}.yaml`);
  await writeFile(file, text);
  try {
    const config = await readConfigFile(file);
    expect(ConfigFile.safeParse(config).success).toBe(true);
  } catch (error) {
    if (!(error instanceof ServebenchError)) throw new Error(`not a ServebenchError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    expect(CONFIG_CODES).toContain(error.code);
    expect(controlCharacters(error.message), error.message).toEqual([]);
    expect(controlCharacters(error.hint), error.hint).toEqual([]);
  } finally {
    await rm(file, { force: true });
  }
  // Problems are the error's to report: the reader writes nothing to the terminal itself.
  expect(warn).not.toHaveBeenCalled();
  expect(emitWarning).not.toHaveBeenCalled();
}

describe('readConfigFile on damaged scenario files', () => {
  it('returns a valid config or throws BAD_CONFIG with a printable message, for any edit of a shipped scenario', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), jsonEdits(2_000), maybeTextEdit(2_000), async (which, edits, cut) => {
        const source = sources[which % sources.length]!;
        // JSON is YAML: the edited document goes back as a flow mapping.
        let text = editedJson(source.doc, edits, 2);
        if (cut !== undefined) text = applyTextEdit(text, cut);
        await check(text);
      }),
      { numRuns: 250 },
    );
  });

  it('returns a valid config or throws BAD_CONFIG with a printable message, for any splice of YAML syntax into a shipped scenario', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.oneof(yamlInsert, textEdit(2_000)), { minLength: 1, maxLength: 3 }), async (which, edits) => {
        let text = sources[which % sources.length]!.text;
        for (const edit of edits) text = applyTextEdit(text, edit);
        await check(text);
      }),
      { numRuns: 250 },
    );
  });

  it('reports a config file of arbitrary text as BAD_CONFIG or reads it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        await check(text);
      }),
      { numRuns: 150 },
    );
  });
});
