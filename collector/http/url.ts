// Engine URLs: what we send to, and what we are allowed to write down.

/** Joins an engine base URL and an API path; a base that already ends in /v1 is not doubled. */
export function joinUrl(base: URL, path: string): { origin: string; path: string } {
  let prefix = base.pathname.replace(/\/+$/, '');
  let rest = path;
  if (prefix.endsWith('/v1') && rest.startsWith('/v1/')) rest = rest.slice(3);
  return { origin: base.origin, path: `${prefix}${rest}${base.search}` };
}

/** The URL as it may appear in a run file, a log line or a page: no userinfo, no query string. */
export function publicUrl(url: URL): string {
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  clean.search = '';
  clean.hash = '';
  return clean.href.replace(/\/$/, '');
}

/** Parses a user-typed engine URL; returns null when it is not http(s). */
export function parseEngineUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
