// /runs/<id>/run.json: the run file exactly as recorded.
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { siteData, type LoadedRun } from '../../../data/site-data.ts';

export const getStaticPaths = (async () => (await siteData()).runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ entry: LoadedRun }> = async ({ props }) =>
  new Response(await readFile(join(props.entry.dir, 'run.json')), { headers: { 'content-type': 'application/json' } });
