// The runs index and each filtered index are split into pages of PAGE_SIZE runs, so a site with
// a thousand runs still opens at once: page 1 at the listing's own path, page n at <path>page/n/.
export const PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  /** 1-based. */
  number: number;
  count: number;
  /** Position of the first item on the page, 1-based (0 when there are none). */
  first: number;
  last: number;
  total: number;
}

export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pageOf<T>(items: readonly T[], number: number, size = PAGE_SIZE): Page<T> {
  const count = pageCount(items.length, size);
  if (!Number.isInteger(number) || number < 1 || number > count) throw new RangeError(`page ${number} is outside 1..${count}`);
  const start = (number - 1) * size;
  const slice = items.slice(start, start + size);
  return { items: slice, number, count, first: slice.length === 0 ? 0 : start + 1, last: start + slice.length, total: items.length };
}

/** The path of page `number` of a listing at `path` ('' for the index, 'engines/vllm/' for a filter). */
export function pagePath(path: string, number: number): string {
  return number <= 1 ? path : `${path}page/${number}/`;
}

/** Page numbers a pager lists: all of them when few, else the ends and a window around the current page, with null for a gap. */
export function pagerNumbers(current: number, count: number, window = 2): Array<number | null> {
  if (count <= 9) return Array.from({ length: count }, (_, i) => i + 1);
  const shown = new Set([1, count]);
  for (let n = current - window; n <= current + window; n++) if (n >= 1 && n <= count) shown.add(n);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  for (const n of sorted) {
    const previous = out.at(-1);
    if (typeof previous === 'number' && n - previous > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/** getStaticPaths entries for pages 2..n of a listing of `total` runs. */
export function laterPages(total: number, size = PAGE_SIZE): number[] {
  return Array.from({ length: pageCount(total, size) - 1 }, (_, i) => i + 2);
}
