// /runs/<id>/requests.csv: one row per raw request.
import type { APIRoute, GetStaticPaths } from 'astro';
import { requestsCsv } from '../../../lib/csv.ts';
import { runRecords, siteData, type LoadedRun } from '../../../data/site-data.ts';

export const getStaticPaths = (async () => (await siteData()).runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ entry: LoadedRun }> = async ({ props }) =>
  new Response(requestsCsv(await runRecords(props.entry)), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
