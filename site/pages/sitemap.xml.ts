// /sitemap.xml, written by a static endpoint (no integration): every HTML page, diff pages included.
import { BASE } from '../data/config.ts';
import type { APIRoute } from 'astro';
import { responsesPath, runPath } from '../lib/paths.ts';
import { allFacetValues } from '../lib/runs.ts';
import { siteData } from '../data/site-data.ts';
import { sitemapXml } from '../lib/sitemap.ts';
import { laterPages, pagePath } from '../lib/pagination.ts';
import { diffPath } from '../lib/diff/pairs.ts';
import { sitePairs } from '../lib/diff/site-pairs.ts';

export const GET: APIRoute = async ({ site }) => {
  const data = await siteData();
  const pairs = await sitePairs(data.runs);
  const paths = [
    '',
    'trends/',
    ...data.runs.flatMap((r) => [runPath(r.run.id), responsesPath(r.run.id)]),
    ...[...pairs.values()].map((pair) => diffPath(pair.base.id, pair.head.id)),
    ...laterPages(data.runs.length).map((n) => pagePath('', n)),
    ...allFacetValues(data.facets).flatMap((v) => [1, ...laterPages(v.runIds.length)].map((n) => pagePath(`${v.facet}/${v.slug}/`, n))),
  ];
  return new Response(sitemapXml(paths, BASE, site), { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
