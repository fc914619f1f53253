import { describe, it, expect } from 'vitest';
import { createNdjsonSplitter } from '../../../collector/framing/ndjson.ts';

function split(pieces: string[]): string[] {
  const splitter = createNdjsonSplitter();
  const out: string[] = [];
  for (const piece of pieces) out.push(...splitter.push(piece));
  out.push(...splitter.end());
  return out;
}

describe('NDJSON splitting', () => {
  it('returns each line as soon as its newline arrives', () => {
    const splitter = createNdjsonSplitter();
    expect(splitter.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}')).toEqual([]);
    expect(splitter.push('\n')).toEqual(['{"b":2}']);
    expect(splitter.end()).toEqual([]);
  });

  it('yields the same lines wherever the text is cut', () => {
    const text = '{"a":1}\r\n\n{"b":"x y"}\n  \n{"c":3}';
    for (let at = 0; at <= text.length; at += 1) {
      expect(split([text.slice(0, at), text.slice(at)])).toEqual(['{"a":1}', '{"b":"x y"}', '{"c":3}']);
    }
    expect(split([...text])).toEqual(['{"a":1}', '{"b":"x y"}', '{"c":3}']);
  });

  it('flushes an unterminated last line at end() and skips blank ones', () => {
    expect(split(['{"a":1}\n{"done":true}'])).toEqual(['{"a":1}', '{"done":true}']);
    expect(split(['\n\n', '   '])).toEqual([]);
  });
});
