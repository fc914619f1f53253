// Number formatting and rounding shared by the chart data and the chart descriptions.

/** Rounds to one decimal: 0.1 ms for latencies, 0.1 tokens/s for rates, 0.1 % for shares. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Rounds seconds to 0.1 ms. */
export function roundS(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** A number as text with at most one decimal and no trailing ".0" noise beyond that. */
export function num(value: number): string {
  const rounded = round1(value);
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

export function ms(value: number | null): string {
  return value === null ? 'n/a' : `${num(value)} ms`;
}

/** A time or a length of time given in seconds: in ms below one second, so small values keep their digits. */
export function seconds(value: number): string {
  return Math.abs(value) < 1 ? `${num(value * 1000)} ms` : `${num(value)} s`;
}

export function perS(value: number | null, unit = 'tokens/s'): string {
  return value === null ? 'n/a' : `${num(value)} ${unit}`;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** A step of 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}
