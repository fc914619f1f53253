// Engine-sent text in a PR comment: shown literally, on one line, without markup, HTML, mentions or links.
import { describe, expect, it } from 'vitest';
import { markdownText } from '../../../collector/compare/markdown-escape.ts';

describe('markdownText', () => {
  it('keeps a table cell whole: pipes escaped, newlines and control characters gone', () => {
    expect(markdownText('a|b\nc\r\nd\u0007e\u001b[31m')).toBe('a\\|b c de');
  });

  it('turns HTML into text and escapes emphasis, code, links and images', () => {
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(markdownText('**bold** _it_ `code` ![i](u) [l](u) ~~s~~')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` !\\[i\\]\\(u\\) \\[l\\]\\(u\\) \\~\\~s\\~\\~');
  });

  it('keeps an @mention, a URL and a www. address from notifying or linking', () => {
    const text = markdownText('@org/team see https://evil.example or www.evil.example');
    expect(text).toBe('@&#8203;org/team see https:&#8203;//evil.example or www&#8203;.evil.example');
    expect(text).not.toMatch(/@[a-z]/);
  });

  it('escapes an ampersand before anything it adds, so an entity the engine sent shows as text', () => {
    expect(markdownText('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});
