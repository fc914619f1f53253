// /runs/<id>/summary.csv: one row per engine and phase.
import type { APIRoute, GetStaticPaths } from 'astro';
import { summaryCsv } from '../../../lib/csv.ts';
import { siteData, type LoadedRun } from '../../../data/site-data.ts';

export const getStaticPaths = (async () => (await siteData()).runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ entry: LoadedRun }> = ({ props }) =>
  new Response(summaryCsv(props.entry.run), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
