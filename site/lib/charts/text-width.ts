// Text widths for laying charts out without a canvas. Vega's own fallback guesses 0.8 em per
// character, about half again the real width of a sans-serif face, so long axis titles and
// legends get padding they do not need and labels are cut early. This uses the advance widths of
// Helvetica/Arial (the common metric of sans-serif faces) with a small margin for wider faces,
// through the hook Vega offers for it (textMetrics.width).
import * as vega from 'vega';

// Advance widths in 1/1000 em of the printable ASCII characters, space (32) to tilde (126).
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

const OTHER: Record<string, number> = { '·': 278, '≤': 584, '≥': 584, '…': 1000, '–': 556, '—': 1000, '×': 584 };

/** Margin for faces a little wider than Helvetica (DejaVu Sans, Verdana-like system fonts). */
const MARGIN = 1.08;

export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += ASCII[code - 32]!;
    else units += OTHER[char] ?? (code >= 0x2e80 ? 1000 : 600);
  }
  return (units / 1000) * fontSize * MARGIN * (bold ? 1.1 : 1);
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number | string;
}

interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

function itemWidth(item: TextItem, text?: unknown): number {
  const value = text === null || text === undefined ? '' : String(text).trim();
  const size = item.fontSize !== undefined && item.fontSize !== null ? Number(item.fontSize) || 0 : 11;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600);
  const width = textWidth(value, size, bold);
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(width, limit) : width;
}

/** Makes Vega measure text with the widths above (idempotent; there is no canvas in Node). */
export function useTextWidths(): void {
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (metrics !== undefined && metrics.width !== itemWidth) metrics.width = itemWidth;
}
