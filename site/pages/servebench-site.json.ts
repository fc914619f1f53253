// /servebench-site.json: what this build is (base path, runs, skipped runs), read by
// `servebench site preview` to serve the site under the same base it was built for.
import { BASE } from '../data/config.ts';
import type { APIRoute } from 'astro';
import { toolVersion } from '../../collector/version.ts';
import { siteData } from '../data/site-data.ts';

export const GET: APIRoute = async ({ site }) => {
  const data = await siteData();
  const manifest = {
    generator: `servebench ${toolVersion()}`,
    base: BASE,
    site: site?.href ?? null,
    runs: data.runs.map((r) => r.run.id),
    skipped: data.skipped.map((s) => s.name),
  };
  return new Response(`${JSON.stringify(manifest, null, 2)}\n`, { headers: { 'content-type': 'application/json' } });
};
