import { describe, it, expect } from 'vitest';
import { createSseFramer } from '../../../collector/framing/sse.ts';
import type { SseMessage } from '../../../collector/framing/sse.ts';

function frame(pieces: string[]): SseMessage[] {
  const framer = createSseFramer();
  const out: SseMessage[] = [];
  for (const piece of pieces) out.push(...framer.push(piece));
  out.push(...framer.end());
  return out;
}

function everySplit(text: string): string[][] {
  const cuts: string[][] = [];
  for (let at = 0; at <= text.length; at += 1) cuts.push([text.slice(0, at), text.slice(at)]);
  cuts.push([...text]);
  return cuts;
}

describe('SSE framing', () => {
  it('returns each message as soon as its blank line arrives', () => {
    const framer = createSseFramer();
    expect(framer.push('data: {"a":1}\n')).toEqual([]);
    expect(framer.push('\ndata: {"b"')).toEqual([{ data: '{"a":1}' }]);
    expect(framer.push(':2}\n\n')).toEqual([{ data: '{"b":2}' }]);
    expect(framer.end()).toEqual([]);
  });

  it('drops one optional space after `data:` and keeps any further spaces', () => {
    expect(frame(['data:x\n\ndata: y\n\ndata:  z\n\n'])).toEqual([{ data: 'x' }, { data: 'y' }, { data: ' z' }]);
  });

  it('accepts CRLF and bare CR line ends, even when a CRLF pair is split across pieces', () => {
    const text = 'data: one\r\n\r\ndata: two\r\rdata: three\r\n\r\n';
    for (const pieces of everySplit(text)) {
      expect(frame(pieces)).toEqual([{ data: 'one' }, { data: 'two' }, { data: 'three' }]);
    }
  });

  it('joins multi-line data with a newline', () => {
    expect(frame(['data: {"a":\ndata: 1}\n\n'])).toEqual([{ data: '{"a":\n1}' }]);
  });

  it('ignores comments such as the TGI keep-alive and unknown fields other than error', () => {
    expect(frame([':\n\n: ping\n\nevent: message\nid: 7\nretry: 10\nfoo: bar\ndata: x\n\n'])).toEqual([{ data: 'x' }]);
  });

  it('reports a non-standard `error:` field line as an error message, even when split anywhere', () => {
    const text = 'data: {"a":1}\n\nerror: {"code":500,"message":"boom"}\n\ndata: [DONE]\n\n';
    for (const pieces of everySplit(text)) {
      expect(frame(pieces)).toEqual([
        { data: '{"a":1}' },
        { data: '{"code":500,"message":"boom"}', field: 'error' },
        { data: '[DONE]' },
      ]);
    }
  });

  it('flushes a last message that has no closing blank line at end()', () => {
    expect(frame(['data: a\n\ndata: b'])).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(frame(['data: a\n\ndata: b\n'])).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(frame(['data: a\n\ndata: b\r'])).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(frame(['error: late'])).toEqual([{ data: 'late', field: 'error' }]);
  });

  it('ignores a leading byte-order mark and yields nothing for an empty stream', () => {
    expect(frame(['\uFEFFdata: x\n\n'])).toEqual([{ data: 'x' }]);
    expect(frame([])).toEqual([]);
    expect(frame(['', '\n\n'])).toEqual([]);
  });

  it('keeps multi-byte characters intact, since it receives decoded text', () => {
    expect(frame(['data: {"t":"caf', 'és 🗼"}\n', '\n'])).toEqual([{ data: '{"t":"cafés 🗼"}' }]);
  });
});
