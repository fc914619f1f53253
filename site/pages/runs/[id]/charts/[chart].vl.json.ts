// /runs/<id>/charts/<chart>.vl.json: each chart's Vega-Lite spec, data inline.
import type { APIRoute, GetStaticPaths } from 'astro';
import { runCharts, siteData, type SiteChart } from '../../../../data/site-data.ts';

export const getStaticPaths = (async () => {
  const paths = [];
  for (const entry of (await siteData()).runs) {
    for (const chart of await runCharts(entry)) paths.push({ params: { id: entry.run.id, chart: chart.id }, props: { chart } });
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ chart: SiteChart }> = ({ props }) =>
  new Response(props.chart.specJson, { headers: { 'content-type': 'application/json' } });
