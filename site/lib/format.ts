// How numbers, dates and sizes read on every page. Missing values read as an em dash.
export const MISSING = '—';

/** Milliseconds: one decimal (two below 10 ms), as `servebench runs show` prints them. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** A rate (requests/s, tokens/s): one decimal. */
export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toFixed(1);
}

export function integer(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return Math.round(value).toLocaleString('en-US');
}

/** A fraction 0..1 as a percentage with one decimal (100% and 0% exact). */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  if (fraction === 1) return '100%';
  if (fraction === 0) return '0%';
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A relative change as a signed percentage with one decimal (+12.5%, -3.0%); '' when there is none. */
export function signedPercent(fraction: number | null): string {
  return fraction === null ? '' : `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
}

/** `2026-11-23 20:32 UTC`: runs are compared across machines, so always UTC. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/** `46.6 s`, `3 min 12 s`, `1 h 02 min`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes - hours * 60).padStart(2, '0')} min`;
}

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let unit = 0;
  while (v >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  return unit === 0 ? `${v} B` : `${v.toFixed(1)} ${units[unit]}`;
}

/** Any JSON value as one short line (for scenario settings). */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map(plainValue).join(', ');
  if (typeof value === 'object' && Object.values(value).every((v) => v === null || typeof v !== 'object')) {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${plainValue(v)}`)
      .join(' · ');
  }
  return JSON.stringify(value);
}

/** What an interval with an unbounded side says: there were too few samples to bound it. */
export const TOO_FEW = 'too few samples';

/**
 * A 95 % interval as `15.0–30.1` in the value's own format; TOO_FEW when a side is unbounded,
 * MISSING when there is no interval at all (runs written before intervals were recorded).
 */
export function interval(ci: { lo: number | null; hi: number | null } | null | undefined, format: (value: number) => string = ms): string {
  if (ci === null || ci === undefined) return MISSING;
  if (ci.lo === null || ci.hi === null) return TOO_FEW;
  return `${format(ci.lo)}–${format(ci.hi)}`;
}

/** A count of hours: one decimal below 10, whole hours with separators above. */
export function hours(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return Math.abs(value) < 10 ? value.toFixed(1) : integer(value);
}

/**
 * An amount of money: cents below 1,000, whole units above. `currency` is an ISO 4217 code
 * (formatted the way en-US writes it: $1.50, €1.50, CHF 1.50) or any other symbol, put in front.
 */
export function money(value: number | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const digits = Math.abs(value) < 1000 ? 2 : 0;
  const plain = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (/^[A-Z]{3}$/.test(currency)) {
    try {
      return value.toLocaleString('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      // Not a currency Intl knows: written as given, like a symbol.
    }
  }
  return `${currency}${/^[A-Za-z]+$/.test(currency) ? ' ' : ''}${plain}`;
}
