// Plain-text tables for the terminal, and the cleaning every string from a run file needs first.

/**
 * Left-aligned columns two spaces apart; the columns in `right` (numbers) are right-aligned.
 * A row shorter than the header ends in free text (an error) that does not widen its column.
 */
export function table(header: string[], rows: string[][], right: number[] = []): string {
  const counted = (r: string[], i: number) => i < r.length && (r.length >= header.length || i < r.length - 1);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (counted(r, i) ? r[i]!.length : 0))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 && cells.length < header.length ? c : right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

// Run files can come from anyone: never let their strings move the cursor or color the terminal.
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
