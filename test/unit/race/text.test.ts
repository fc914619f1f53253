// Engine text on the terminal: nothing it sends may move the cursor or recolor the screen, and
// wrapping counts terminal cells.
import { describe, expect, it } from 'vitest';
import { displayWidth, padTo, sanitize, sanitizeLine, truncate, wrap } from '../../../collector/race/text.ts';

describe('sanitize', () => {
  it('removes escape sequences whole, not only their ESC byte', () => {
    expect(sanitize('\u001b[31mred\u001b[0m \u001b[2J\u001b[Hhome')).toBe('red home');
    expect(sanitize('a\u001b]0;pwned title\u0007b')).toBe('ab');
    expect(sanitize('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b')).toBe('alinkb');
    expect(sanitize('a\u009b2Jb')).toBe('ab');
    expect(sanitize('a\u001b7b\u001b8c')).toBe('abc');
  });

  it('removes control characters and bidi overrides, keeps newlines, expands tabs, normalizes CR', () => {
    expect(sanitize('x\u0000y\u0007z\u0008\u007f\u0085!')).toBe('xyz!');
    expect(sanitize('one\r\ntwo\rthree\nfour')).toBe('one\ntwo\nthree\nfour');
    expect(sanitize('\tindent')).toBe('    indent');
    expect(sanitize('abc\u202edef\u2066g\u2069')).toBe('abcdefg');
    expect(sanitize('plain text, ünïcödé, 日本語 🙂')).toBe('plain text, ünïcödé, 日本語 🙂');
  });

  it('sanitizeLine keeps everything on one line', () => {
    expect(sanitizeLine('a\nb\r\nc\u001b[1A')).toBe('a b c');
  });
});

describe('displayWidth', () => {
  it('counts terminal cells: wide CJK and emoji take two, combining marks none', () => {
    expect(displayWidth('hello')).toBe(5);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('🙂')).toBe(2);
    expect(displayWidth('👩‍👩‍👧')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('│─')).toBe(2);
  });

  it('pads and truncates by cells', () => {
    expect(padTo('日本', 6)).toBe('日本  ');
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
    expect(displayWidth(truncate('日本語日本語', 7))).toBeLessThanOrEqual(7);
  });
});

describe('wrap', () => {
  it('breaks at spaces and never exceeds the width', () => {
    const lines = wrap('The sky is blue because air scatters short wavelengths more than long ones.', 20);
    expect(lines).toEqual(['The sky is blue', 'because air scatters', 'short wavelengths', 'more than long ones.']);
  });

  it('keeps newlines and blank lines, and indentation after a newline', () => {
    expect(wrap('first\n\n  second', 20)).toEqual(['first', '', '  second']);
  });

  it('breaks a word longer than the line', () => {
    const lines = wrap('ab https://example.com/a/very/long/path', 10);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(10);
    expect(lines.join('')).toBe('ab https://example.com/a/very/long/path');
    expect(lines[0]).toBe('ab https:/');
  });

  it('counts wide characters as two cells', () => {
    const lines = wrap('日本語の文章を折り返す', 6);
    expect(lines).toEqual(['日本語', 'の文章', 'を折り', '返す']);
  });

  it('drops spaces at a wrap point', () => {
    expect(wrap('aaaa     bbbb', 4)).toEqual(['aaaa', 'bbbb']);
  });
});
