// Run ids: `YYYYMMDD-HHMMSS-<slug>-<4 hex>` in UTC. The timestamp first makes ids sort by time
// as plain strings (and directory listings read in order); the hex tells apart runs started
// in the same second under the same name. Only [a-z0-9-], so ids are safe in URLs and paths.

const SLUG_MAX = 32;

export function newRunId(now: Date, name: string, random: () => number = Math.random): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  // Clamped so a random() that returns 1 (or a fake that returns anything) still gives 4 digits.
  const n = Math.min(0xffff, Math.max(0, Math.floor(random() * 0x10000)));
  return `${date}-${time}-${slugify(name)}-${n.toString(16).padStart(4, '0')}`;
}

/** Lowercase a-z0-9 and single dashes, at most 32 characters; `run` when nothing is left. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off, so "café" keeps its e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug === '' ? 'run' : slug;
}
