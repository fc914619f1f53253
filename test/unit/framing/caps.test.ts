// The caps on what is held of one answer: a pending SSE event, an NDJSON line, a buffered body.
import { describe, expect, it } from 'vitest';
import { formatSize, MAX_BUFFERED_BODY_CHARS, MAX_PENDING_LINE_CHARS, TooLargeError } from '../../../collector/framing/caps.ts';
import { createNdjsonSplitter } from '../../../collector/framing/ndjson.ts';
import { createSseFramer } from '../../../collector/framing/sse.ts';
import { bufferedDecoder, decodeOpenAiAnswer } from '../../../collector/engines/openai-chat.ts';

describe('the caps on one pending line and one buffered body', () => {
  it('are 1 MiB and 16 MiB, and say so in their messages', () => {
    expect(formatSize(MAX_PENDING_LINE_CHARS)).toBe('1 MiB');
    expect(formatSize(MAX_BUFFERED_BODY_CHARS)).toBe('16 MiB');
    expect(formatSize(64 * 1024)).toBe('64 KiB');
    expect(formatSize(100)).toBe('100 bytes');
    expect(() => createSseFramer().push('x'.repeat(MAX_PENDING_LINE_CHARS + 1))).toThrow(
      'the engine sent more than 1 MiB without completing an SSE event (cap on one pending line)',
    );
  });

  it('fails an SSE line that grows past the cap across pieces, before its newline arrives', () => {
    const framer = createSseFramer(100);
    expect(framer.push(`data: ${'a'.repeat(50)}`)).toEqual([]);
    expect(() => framer.push('a'.repeat(50))).toThrow(TooLargeError);
  });

  it('fails data lines that never reach the blank line that ends their event', () => {
    const framer = createSseFramer(100);
    for (let i = 0; i < 9; i += 1) expect(framer.push('data: xxxx\n')).toEqual([]);
    expect(() => framer.push('data: xxxx\n'.repeat(2))).toThrow(TooLargeError);
  });

  it('fails keep-alive comments that go on without an event', () => {
    const framer = createSseFramer(100);
    expect(() => {
      for (let i = 0; i < 100; i += 1) framer.push(':\n\n');
    }).toThrow(TooLargeError);
  });

  it('lets any number of events through as long as each stays under the cap', () => {
    const framer = createSseFramer(100);
    const event = `data: ${'a'.repeat(80)}\n\n`;
    let messages = 0;
    for (let i = 0; i < 1000; i += 1) messages += framer.push(event).length;
    // Several events in one piece, more than the cap together, are fine too.
    messages += framer.push(event.repeat(10)).length;
    expect(messages).toBe(1010);
  });

  it('fails an NDJSON line past the cap whether or not its newline came, and keeps shorter ones', () => {
    const splitter = createNdjsonSplitter(10);
    expect(splitter.push('0123456789\n{"a":1}\n')).toEqual(['0123456789', '{"a":1}']);
    expect(splitter.push('01234')).toEqual([]);
    expect(() => splitter.push('567890')).toThrow('the engine sent an NDJSON line longer than 10 bytes (cap on one pending line)');
    expect(() => createNdjsonSplitter(10).push('0123456789A\n')).toThrow(TooLargeError);
  });

  it('fails a whole body past its cap as it arrives, not when it ends', () => {
    const decoder = bufferedDecoder(decodeOpenAiAnswer, 20);
    expect(decoder.feed('{"choices":[')).toEqual([]);
    expect(() => decoder.feed('{"message":{}}]}')).toThrow('the engine sent a whole answer larger than 20 bytes (cap on a buffered body)');
  });
});
