// NDJSON framing: text pieces in, complete non-empty lines out.
import { formatSize, MAX_PENDING_LINE_CHARS, TooLargeError } from './caps.ts';

export interface NdjsonSplitter {
  /**
   * Feed the next decoded text piece; returns the lines it completed, without terminators.
   * Throws TooLargeError once a line grows past the cap, whether or not its newline came.
   */
  push(text: string): string[];
  /** The stream ended: returns the last line if it had no terminator. */
  end(): string[];
}

/** `maxLineChars`: the longest line kept (default MAX_PENDING_LINE_CHARS). */
export function createNdjsonSplitter(maxLineChars = MAX_PENDING_LINE_CHARS): NdjsonSplitter {
  // Fragments of the unfinished line, joined only once its '\n' arrives.
  let partial: string[] = [];
  let partialChars = 0;

  function keep(lines: string[], line: string): void {
    // A CR before the LF belongs to the terminator; blank lines carry nothing.
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean.trim() !== '') lines.push(clean);
  }

  function hold(piece: string): void {
    partialChars += piece.length;
    if (partialChars > maxLineChars) {
      throw new TooLargeError(`the engine sent an NDJSON line longer than ${formatSize(maxLineChars)} (cap on one pending line)`);
    }
    partial.push(piece);
  }

  return {
    push(text) {
      const lines: string[] = [];
      let start = 0;
      let lf = text.indexOf('\n');
      while (lf !== -1) {
        hold(text.slice(start, lf));
        keep(lines, partial.join(''));
        partial = [];
        partialChars = 0;
        start = lf + 1;
        lf = text.indexOf('\n', start);
      }
      if (start < text.length) hold(text.slice(start));
      return lines;
    },
    end() {
      const lines: string[] = [];
      keep(lines, partial.join(''));
      partial = [];
      partialChars = 0;
      return lines;
    },
  };
}
