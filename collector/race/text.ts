// Terminal text for the race view: engine output is untrusted, so it is stripped of anything that
// could move the cursor, color or reorder the screen; widths count terminal cells, not characters.

import { terminalSafe } from '../output/terminal-text.ts';

const TAB = '    ';

/** Engine text made safe to print: escape sequences and control characters removed, newlines kept. */
export function sanitize(text: string): string {
  return terminalSafe(text).replace(/\t/g, TAB);
}

/** As sanitize, on one line: newlines become spaces (labels, error messages in headers). */
export function sanitizeLine(text: string): string {
  return sanitize(text).replace(/\n/g, ' ');
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The text's user-perceived characters (an emoji with modifiers, a letter with accents: one each). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /\p{Emoji_Presentation}|\ufe0f/u;
// East Asian Wide and Fullwidth blocks: Hangul Jamo, CJK symbols to Yi, Hangul, compatibility
// ideographs, vertical forms, fullwidth forms, and the supplementary ideographic planes.
const WIDE = /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Terminal cells one grapheme takes: 0, 1 or 2. */
export function graphemeWidth(grapheme: string): number {
  if (grapheme === '') return 0;
  const first = String.fromCodePoint(grapheme.codePointAt(0)!);
  if (ZERO_WIDTH.test(first)) return 0;
  if (WIDE.test(first) || EMOJI.test(grapheme)) return 2;
  return 1;
}

/** Terminal cells a (sanitized, single-line) string takes. */
export function displayWidth(text: string): number {
  // Fast path: printable ASCII is one cell per character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const g of graphemes(text)) width += graphemeWidth(g);
  return width;
}

/** Pads with spaces to exactly `width` cells (text is expected to fit). */
export function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Cuts to at most `width` cells, ending in … when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
}

/**
 * Word-wraps sanitized text to lines of at most `width` cells. Newlines start new lines; a word
 * longer than a line is broken; spaces at a wrap point are dropped, indentation after a newline kept.
 */
export function wrap(text: string, width: number): string[] {
  const size = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    let continued = false;
    const push = (): void => {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
      continued = true;
    };
    for (const piece of paragraph.match(/ +|[^ ]+/g) ?? []) {
      const w = displayWidth(piece);
      if (piece.startsWith(' ')) {
        if (used === 0 && continued) continue;
        if (used + w <= size) {
          line += piece;
          used += w;
        } else push();
        continue;
      }
      if (used + w <= size) {
        line += piece;
        used += w;
        continue;
      }
      if (w <= size) {
        push();
        line = piece;
        used = w;
        continue;
      }
      // A word wider than the line: fill the current line, then break it at the edge.
      for (const g of graphemes(piece)) {
        const gw = graphemeWidth(g);
        if (used + gw > size && used > 0) push();
        line += g;
        used += gw;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
