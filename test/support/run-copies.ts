// Copies of the golden run, damaged the ways a full disk or a killed finalisation leaves a run.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readRequests } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';

export const GOLDEN = fileURLToPath(new URL('../fixtures/runs/golden/', import.meta.url));
export const GOLDEN_ID = '20250612-093000-golden-chat-smoke-3fa4';

export async function goldenRecords(): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(GOLDEN)) out.push(record);
  return out;
}

/** The golden run, finished (completed, requests.ndjson.gz), copied to `dir`. */
export async function copyGolden(dir: string): Promise<void> {
  await cp(GOLDEN, dir, { recursive: true });
}

/** The golden run as its collector left it when killed: run.json as written at start, a plain raw file. */
export async function killedGolden(dir: string, rawText: string): Promise<void> {
  const run = JSON.parse(await readFile(join(GOLDEN, 'run.json'), 'utf8')) as {
    status: string;
    finishedAt: string | null;
    errorsByKind: Record<string, number>;
    engines: { phases: unknown[] }[];
  };
  run.status = 'partial';
  run.finishedAt = null;
  run.errorsByKind = {};
  for (const engine of run.engines) engine.phases = [];
  await cp(GOLDEN, dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(join(dir, 'requests.ndjson'), rawText);
  await rm(join(dir, 'requests.ndjson.gz'));
}

export function lines(records: RequestRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** The golden raw file's text, uncompressed. */
export async function goldenRawText(): Promise<string> {
  return gunzipSync(await readFile(join(GOLDEN, 'requests.ndjson.gz'))).toString('utf8');
}
