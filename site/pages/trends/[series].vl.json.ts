// /trends/<series>.vl.json: each trend chart's Vega-Lite spec, data inline.
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteData } from '../../data/site-data.ts';
import { trendSeries, trendSpecJson } from '../../lib/trends.ts';

export const getStaticPaths = (async () => {
  const runs = (await siteData()).runs.map((r) => r.run);
  return trendSeries(runs).flatMap((s) => {
    const json = trendSpecJson(s);
    return json === null ? [] : [{ params: { series: s.id }, props: { json } }];
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ json: string }> = ({ props }) => new Response(props.json, { headers: { 'content-type': 'application/json' } });
