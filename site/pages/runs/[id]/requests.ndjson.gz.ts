// /runs/<id>/requests.ndjson.gz: the raw records as recorded; a run still in progress (plain
// requests.ndjson) is gzipped here so the download is always the same format.
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RAW_FILE, RAW_FILE_GZ } from '../../../../collector/store/schema/index.ts';
import { siteData, type LoadedRun } from '../../../data/site-data.ts';

export const getStaticPaths = (async () => (await siteData()).runs.map((entry) => ({ params: { id: entry.run.id }, props: { entry } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ entry: LoadedRun }> = async ({ props }) => {
  const gz = await readFile(join(props.entry.dir, RAW_FILE_GZ)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  const body = gz ?? gzipSync(await readFile(join(props.entry.dir, RAW_FILE)));
  return new Response(new Uint8Array(body), { headers: { 'content-type': 'application/gzip' } });
};
