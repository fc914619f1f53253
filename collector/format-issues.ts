// Turns zod issues into one line each: "<file>: <path>: <what was expected>, got <what was found>".
// Shared by every reader of user-facing files (runs, configs), so it knows nothing about them.
// Parse with `{ reportInput: true }` so issues carry the value found; otherwise pass the parsed
// document as `root` and values are looked up by path.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export function formatIssues(file: string, issues: readonly Issue[], root?: unknown): string[] {
  return issues.flatMap((issue) => describeIssue(issue, [], root)).map((line) => `${file}: ${line}`);
}

/** `engines[0].phases[1].ttftMs.p50`; keys that are not identifiers are quoted; the root is "(top level)". */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${quote(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** A short, safe rendering of a found value: `string "12ms"`, `number -1`, `array (3 items)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `array (${value.length} item${value.length === 1 ? '' : 's'})`;
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function describeIssue(issue: Issue, prefix: Path, root: unknown): string[] {
  const path = [...prefix, ...issue.path];
  const at = formatPath(path);
  const value = foundValue(issue, path, root);
  const got = value.known ? `, got ${describeValue(value.value)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (value.known && value.value === undefined) return [`${at}: missing, expected ${typeName(issue.expected)}`];
      return [`${at}: expected ${typeName(issue.expected)}${got}`];
    case 'invalid_value': {
      const allowed = issue.values.map(literal);
      const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      return [`${at}: expected ${expected}${got}`];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${at}: unknown key ${quote(key)}`);
    case 'too_small':
    case 'too_big':
      return [`${at}: expected ${bound(issue)}${got}`];
    case 'invalid_format':
      return [`${at}: expected ${formatName(issue)}${got}`];
    case 'not_multiple_of':
      return [`${at}: expected a multiple of ${issue.divisor}${got}`];
    case 'invalid_union':
      return describeUnion(issue, path, root, got);
    case 'invalid_key':
      return issue.issues.map((inner) => `${at}: invalid key: ${inner.message}`);
    case 'invalid_element':
      return issue.issues.flatMap((inner) => describeIssue(inner, path, root));
    case 'custom':
      return [`${at}: ${issue.message}${got}`];
    default:
      return [`${at}: ${(issue as Issue).message}`];
  }
}

// A union lists what each branch wanted when all fail on the value's type; otherwise the
// branch that came closest is explained, since that is usually the one the author meant.
function describeUnion(issue: Extract<Issue, { code: 'invalid_union' }>, path: Path, root: unknown, got: string): string[] {
  const branches = issue.errors;
  if (branches.length === 0) return [`${formatPath(path)}: matches more than one allowed shape${got}`];
  const typeOnly = branches.every((b) => b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0);
  if (typeOnly) {
    const expected = branches.map((b) => (b[0]?.code === 'invalid_type' ? typeName(b[0].expected) : '?'));
    return [`${formatPath(path)}: expected ${expected.join(' or ')}${got}`];
  }
  const closest = branches.reduce((best, b) => (b.length < best.length ? b : best));
  return closest.flatMap((inner) => describeIssue(inner, path, root));
}

function foundValue(issue: Issue, path: Path, root: unknown): { known: boolean; value?: unknown } {
  if ('input' in issue) return { known: true, value: issue.input };
  if (root === undefined) return { known: false };
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return { known: true, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { known: true, value };
}

function typeName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'record') return 'object';
  if (expected === 'tuple') return 'array';
  return expected;
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  const unit = issue.origin === 'array' || issue.origin === 'set' ? 'item' : issue.origin === 'string' ? 'character' : '';
  if (unit !== '') {
    const n = `${limit} ${unit}${Number(limit) === 1 ? '' : 's'}`;
    if (issue.exact) return `exactly ${n}`;
    return `${small ? 'at least' : 'at most'} ${issue.inclusive === false ? `${n} (exclusive)` : n}`;
  }
  const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `a ${issue.origin === 'int' ? 'integer' : issue.origin} ${op} ${String(limit)}`;
}

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'an ISO 8601 date-time in UTC (e.g. 2025-01-31T12:00:00Z)',
  date: 'an ISO 8601 date (e.g. 2025-01-31)',
  time: 'an ISO 8601 time (e.g. 12:00:00)',
  duration: 'an ISO 8601 duration (e.g. PT5M)',
  url: 'a URL',
  email: 'an email address',
  uuid: 'a UUID',
};

function formatName(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  // zod's own messages start with "Invalid"; anything else is a schema author's description.
  if (!issue.message.startsWith('Invalid')) return issue.message;
  const known = FORMAT_NAMES[issue.format];
  if (known !== undefined) return known;
  if (issue.format === 'regex' && issue.pattern !== undefined) return `a string matching ${issue.pattern}`;
  if ('prefix' in issue) return `a string starting with ${quote(String(issue.prefix))}`;
  if ('suffix' in issue) return `a string ending with ${quote(String(issue.suffix))}`;
  if ('includes' in issue) return `a string containing ${quote(String(issue.includes))}`;
  return `a valid ${issue.format}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// Values come from files users may not trust or may have mangled: keep them short, on one line,
// and free of terminal control characters (JSON escapes C0; C1 and DEL are escaped here).
function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(cut).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
