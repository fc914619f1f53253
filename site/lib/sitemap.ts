// sitemap.xml: every HTML page of the site. URLs are absolute when the site's origin is known
// (SERVEBENCH_SITE), else absolute paths under the base.
import { siteHref } from './paths.ts';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function sitemapXml(paths: readonly string[], base: string, site: URL | string | undefined): string {
  const origin = site === undefined ? '' : new URL(String(site)).origin;
  const urls = [...new Set(paths)].map((path) => `  <url><loc>${escapeXml(`${origin}${siteHref(base, path)}`)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}
