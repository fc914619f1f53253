import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeValue, formatIssues, formatPath } from '../../collector/format-issues.ts';

function issuesOf(schema: z.ZodType, value: unknown, reportInput = true) {
  const result = schema.safeParse(value, { reportInput });
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
}

const Phase = z.object({ ttftMs: z.object({ p50: z.number().nullable() }) });
const Doc = z.object({ engines: z.array(z.object({ phases: z.array(Phase) })) });

describe('formatIssues', () => {
  it('names the file, the field path and what was expected versus found', () => {
    const doc = { engines: [{ phases: [{ ttftMs: { p50: 1 } }, { ttftMs: { p50: '12ms' } }] }] };
    expect(formatIssues('run.json', issuesOf(Doc, doc))).toEqual([
      'run.json: engines[0].phases[1].ttftMs.p50: expected number, got string "12ms"',
    ]);
  });

  it('says a field is missing rather than that it was undefined', () => {
    expect(formatIssues('f.yaml', issuesOf(z.object({ label: z.string() }), {}))).toEqual(['f.yaml: label: missing, expected string']);
  });

  it('lists the allowed values of an enum and shows a literal as the one expected value', () => {
    const schema = z.object({ status: z.enum(['completed', 'failed']), v: z.literal(1) });
    expect(formatIssues('run.json', issuesOf(schema, { status: 'done', v: 2 }))).toEqual([
      'run.json: status: expected one of "completed", "failed", got string "done"',
      'run.json: v: expected 1, got number 2',
    ]);
  });

  it('reports each unknown key of a strict object', () => {
    const schema = z.strictObject({ engines: z.array(z.strictObject({ url: z.string() })) });
    expect(formatIssues('servebench.yaml', issuesOf(schema, { engines: [{ url: 'x', foo: 1, urll: 'y' }] }))).toEqual([
      'servebench.yaml: engines[0]: unknown key "foo"',
      'servebench.yaml: engines[0]: unknown key "urll"',
    ]);
  });

  it('explains integers, bounds, formats and custom regex descriptions', () => {
    const schema = z.object({
      count: z.number().int().nonnegative(),
      n: z.number().int(),
      list: z.array(z.string()).min(1),
      at: z.iso.datetime(),
      id: z.string().regex(/^[a-z]+$/, 'a lowercase id'),
    });
    expect(formatIssues('x.json', issuesOf(schema, { count: -1, n: 1.5, list: [], at: 'yesterday', id: 'A B' }))).toEqual([
      'x.json: count: expected a number >= 0, got number -1',
      'x.json: n: expected integer, got number 1.5',
      'x.json: list: expected at least 1 item, got array (0 items)',
      'x.json: at: expected an ISO 8601 date-time in UTC (e.g. 2025-01-31T12:00:00Z), got string "yesterday"',
      'x.json: id: expected a lowercase id, got string "A B"',
    ]);
  });

  it('explains tuple elements and record values by their index and key', () => {
    const schema = z.object({ events: z.array(z.tuple([z.number(), z.enum(['a', 'b'])])), native: z.record(z.string(), z.number()) });
    expect(formatIssues('r:3', issuesOf(schema, { events: [[1, 'a'], [2, 'c']], native: { 'eval count': 'x' } }))).toEqual([
      'r:3: events[1][1]: expected one of "a", "b", got string "c"',
      'r:3: native["eval count"]: expected number, got string "x"',
    ]);
  });

  it('combines the expected types of a union that failed on type alone', () => {
    expect(formatIssues('f', issuesOf(z.object({ v: z.union([z.string(), z.number()]) }), { v: true }))).toEqual([
      'f: v: expected string or number, got boolean true',
    ]);
  });

  it('looks values up in the document when the issues do not carry them', () => {
    const doc = { engines: [{ phases: [{ ttftMs: { p50: '12ms' } }] }] };
    expect(formatIssues('run.json', issuesOf(Doc, doc, false), doc)).toEqual([
      'run.json: engines[0].phases[0].ttftMs.p50: expected number, got string "12ms"',
    ]);
    expect(formatIssues('run.json', issuesOf(Doc, doc, false))).toEqual(['run.json: engines[0].phases[0].ttftMs.p50: expected number']);
  });

  it('names the top level when the whole document is wrong', () => {
    expect(formatIssues('run.json', issuesOf(Doc, []))).toEqual(['run.json: (top level): expected object, got array (0 items)']);
  });
});

describe('formatPath and describeValue', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['a', 0, 'b-c', 'd'])).toBe('a[0]["b-c"].d');
  });

  it('keeps long or multi-line values short and on one line', () => {
    expect(describeValue('x'.repeat(100))).toBe(`string "${'x'.repeat(57)}..."`);
    expect(describeValue('a\nb')).toBe('string "a\\nb"');
    expect(describeValue('\u001b[2J\u009b')).toBe('string "\\u001b[2J\\u009b"');
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(null)).toBe('null');
  });
});
