// The hand-written SSE framer against eventsource-parser, a maintained implementation of the same
// WHATWG grammar: for random streams (data, comments, blank lines, other fields, the non-standard
// `error:` field, a byte-order mark; LF, CRLF and CR line ends) cut into random pieces, both give
// the same messages in the same order.
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseFramer, type SseMessage } from '../../collector/framing/sse.ts';

/** What eventsource-parser makes of the whole text; a last event without its blank line counts, as in the framer's end(). */
function oracle(text: string): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({
    onEvent: (event) => out.push({ data: event.data }),
    onError: (error) => {
      if (error.type === 'unknown-field' && error.field === 'error') out.push({ data: error.value ?? '', field: 'error' });
    },
  });
  // A stream that ended in '\r' needs one more '\n' than two: the parser takes '\r\n' as one end.
  parser.feed(`${text}\n\n\n`);
  return out;
}

function framed(pieces: string[]): SseMessage[] {
  const framer = createSseFramer();
  const out: SseMessage[] = [];
  for (const piece of pieces) out.push(...framer.push(piece));
  out.push(...framer.end());
  return out;
}

// Values never hold a line end (the grammar has no way to carry one); colons and spaces are kept.
const value = fc.string({ unit: fc.constantFrom('a', 'é', '🗼', ' ', ':', '{', '"', '}', '\t', '\u2028', 'x'), maxLength: 12 });
const line = fc.oneof(
  { weight: 5, arbitrary: value.map((v) => `data: ${v}`) },
  value.map((v) => `data:${v}`),
  fc.constant('data'),
  fc.constant(''),
  value.map((v) => `:${v}`),
  value.map((v) => `error: ${v}`),
  fc.constantFrom('error', 'event: message', 'id: 7', 'retry: 10', 'retry: soon', 'foo: bar', 'datum: x', ' data: x'),
);
const lineEnd = fc.constantFrom('\n', '\n', '\r\n', '\r');
const stream = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(line, lineEnd), { maxLength: 30 }), fc.option(line, { nil: undefined }))
  .map(([bom, lines, unfinished]) => `${bom ? '\uFEFF' : ''}${lines.map(([l, end]) => l + end).join('')}${unfinished ?? ''}`);

/** Cuts at the given offsets (taken modulo the length, so every draw is usable). */
function cut(text: string, offsets: number[]): string[] {
  const at = [...new Set(offsets.map((o) => (text.length === 0 ? 0 : o % (text.length + 1))))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const to of at) {
    pieces.push(text.slice(from, to));
    from = to;
  }
  pieces.push(text.slice(from));
  return pieces;
}

describe('SSE framing against eventsource-parser', () => {
  it('gives the same messages for any stream cut into any pieces', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (text, offsets) => {
        expect(framed(cut(text, offsets))).toEqual(oracle(text));
      }),
      { numRuns: 2000 },
    );
  });
});
