// Damage for the reader fuzz tests: edits of a parsed document (a value replaced by something
// hostile, a key deleted, a value wrapped in an array) and edits of its text (cut at an offset,
// something spliced in). Offsets are drawn as plain naturals and taken modulo the size of what
// they land in, so every draw is usable and shrinks towards the start of the document.
import fc from 'fast-check';

type Json = unknown;
type Path = Array<string | number>;

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i));

/** Strings made mostly of terminal control characters (ESC, BEL, CSI…), bidi overrides and line separators. */
export const controlString = fc.string({ unit: fc.constantFrom(...C0, ...C1, 'a', ' ', '\u001b[2J', '\u009b31m', '\u2028', '\u202e', '\ufeff'), maxLength: 24 });

const DEEP = /"@@deep:(\d+)@@"/g;

/** Values no writer produces: control characters, numbers at the edge of doubles, numbers as strings, nesting up to maxDepth, long text. */
export const hostileValue = (maxDepth: number): fc.Arbitrary<Json> => fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  controlString,
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '', ' ', '__proto__', 'constructor', '0x10', '١٢'),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 5e-324, -0, 0.5, -1, 2 ** 31, 2 ** 32 + 1),
  fc.dictionary(controlString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  // Expanded in the text after JSON.stringify, which would itself overflow on these depths.
  fc.integer({ min: 1, max: maxDepth }).map((depth) => `@@deep:${depth}@@`),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)),
);

export type JsonEdit =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'wrap'; at: number }
  | { kind: 'rename'; at: number; key: string; value?: Json };

const jsonEdit = (maxDepth: number): fc.Arbitrary<JsonEdit> => fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue(maxDepth) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record(
    {
      kind: fc.constant('rename' as const),
      at: fc.nat(),
      key: fc.oneof(controlString, fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', '')),
      value: hostileValue(maxDepth),
    },
    { requiredKeys: ['kind', 'at', 'key'] },
  ),
);

/** One to three edits; nesting goes up to maxDepth (deep enough to overflow a recursive parser). */
export const jsonEdits = (maxDepth = 100_000): fc.Arbitrary<JsonEdit[]> => fc.array(jsonEdit(maxDepth), { minLength: 1, maxLength: 3 });

/** Usually no text edit: most draws should reach the schema, not stop at the JSON syntax. */
export const maybeTextEdit = (maxDepth = 100_000): fc.Arbitrary<TextEdit | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: textEdit(maxDepth) });

export type TextEdit = { kind: 'cut'; at: number } | { kind: 'insert'; at: number; text: string };

/** A cut, or a splice of control characters, binary, JSON punctuation, or up to maxDepth open brackets. */
export const textEdit = (maxDepth = 100_000): fc.Arbitrary<TextEdit> => fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      controlString,
      fc.string({ unit: 'binary', maxLength: 16 }),
      fc.constantFrom('1e999', 'NaN', '-', '"', '\\', '\\u', '\\ud800', '\u0000', '{', '}', ']', ',', ':', '\n', '&a [*a]', '!!binary', '- ', '? ', '|'),
      fc.integer({ min: 1, max: maxDepth }).map((n) => '['.repeat(n)),
    ),
  }),
);

/** Every place in a document, the root included: object keys and array indexes. */
function placesIn(value: Json, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => placesIn(item, [...path, i], into));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) placesIn(item, [...path, key], into);
  return into;
}

/** The document with the edits applied, as JSON text (indented or not), deep-nesting markers expanded. */
export function editedJson(doc: Json, edits: readonly JsonEdit[], indent?: number): string {
  let root = structuredClone(doc);
  for (const edit of edits) {
    const places = placesIn(root);
    const path = places[edit.at % places.length]!;
    if (path.length === 0) {
      if (edit.kind === 'replace') root = edit.value;
      else if (edit.kind === 'wrap') root = [root];
      continue;
    }
    let parent = root as Record<string | number, Json>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
    const key = path.at(-1)!;
    if (edit.kind === 'replace') parent[key] = edit.value;
    else if (edit.kind === 'wrap') parent[key] = [parent[key]];
    else if (edit.kind === 'rename') {
      // An array index has no name to change: the item is replaced by an object holding it under the key.
      const value = 'value' in edit ? edit.value : parent[key];
      if (Array.isArray(parent)) parent[key as number] = Object.defineProperty({}, edit.key, { value, enumerable: true, configurable: true, writable: true });
      else {
        delete parent[key];
        Object.defineProperty(parent, edit.key, { value, enumerable: true, configurable: true, writable: true });
      }
    }
    else if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  }
  return JSON.stringify(root, null, indent).replace(DEEP, (_, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`);
}

export function applyTextEdit(text: string, edit: TextEdit): string {
  const at = edit.at % (text.length + 1);
  return edit.kind === 'cut' ? text.slice(0, at) : text.slice(0, at) + edit.text + text.slice(at);
}

/** The terminal control characters (C0 but the newline, DEL, C1) in a text, as code points. */
export function controlCharacters(text: string): string[] {
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g)].map((m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
}
