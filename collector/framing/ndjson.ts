// NDJSON framing: text pieces in, complete non-empty lines out.

export interface NdjsonSplitter {
  /** Feed the next decoded text piece; returns the lines it completed, without terminators. */
  push(text: string): string[];
  /** The stream ended: returns the last line if it had no terminator. */
  end(): string[];
}

export function createNdjsonSplitter(): NdjsonSplitter {
  // Fragments of the unfinished line, joined only once its '\n' arrives.
  let partial: string[] = [];

  function keep(lines: string[], line: string): void {
    // A CR before the LF belongs to the terminator; blank lines carry nothing.
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean.trim() !== '') lines.push(clean);
  }

  return {
    push(text) {
      const lines: string[] = [];
      let start = 0;
      let lf = text.indexOf('\n');
      while (lf !== -1) {
        partial.push(text.slice(start, lf));
        keep(lines, partial.join(''));
        partial = [];
        start = lf + 1;
        lf = text.indexOf('\n', start);
      }
      if (start < text.length) partial.push(text.slice(start));
      return lines;
    },
    end() {
      const lines: string[] = [];
      keep(lines, partial.join(''));
      partial = [];
      return lines;
    },
  };
}
