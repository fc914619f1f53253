// Every URL the site writes goes through here, so the same build works at `/`, at
// `https://ORG.github.io/REPO/` and under a PR-preview subpath: paths are relative to the base.
import { createHash } from 'node:crypto';

/** '/', '/repo/', '/repo/pr-1/': always a leading and a trailing slash. */
export function normalizeBase(base: string | undefined): string {
  const trimmed = (base ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** A path inside the site (no leading slash: 'runs/x/'), prefixed with the base. */
export function siteHref(base: string, path = ''): string {
  return `${normalizeBase(base)}${path.replace(/^\/+/, '')}`;
}

export const runPath = (id: string): string => `runs/${encodeURIComponent(id)}/`;
export const responsesPath = (id: string): string => `${runPath(id)}responses/`;
export const executivePath = (id: string): string => `${runPath(id)}executive/`;
export const runFilePath = (id: string, file: string): string => `${runPath(id)}${file}`;
export const chartSpecPath = (id: string, chart: string): string => `${runPath(id)}charts/${encodeURIComponent(chart)}.vl.json`;

/** Lowercase letters, digits and dashes, at most 60 characters; never empty. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'x' : slug;
}

/**
 * A slug per distinct value, stable across builds: the plain slug when no other value shares it,
 * else the slug plus a short hash of the value.
 */
export function slugsFor(values: Iterable<string>): Map<string, string> {
  const distinct = [...new Set(values)].sort();
  const byPlain = new Map<string, string[]>();
  for (const value of distinct) {
    const plain = slugify(value);
    byPlain.set(plain, [...(byPlain.get(plain) ?? []), value]);
  }
  const out = new Map<string, string>();
  for (const [plain, owners] of byPlain) {
    for (const value of owners) {
      out.set(value, owners.length === 1 ? plain : `${plain}-${createHash('sha256').update(value).digest('hex').slice(0, 8)}`);
    }
  }
  return out;
}

/** A file name for a chart id from the charts module: safe in a URL path segment. */
export function chartFileId(id: string): string {
  return slugify(id);
}
