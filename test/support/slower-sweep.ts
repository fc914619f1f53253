// A later copy of the slo-sweep fixture run whose TGI decodes 15 % slower (every event and the end
// after the first token stretched) and reports another TGI version: the head of a diff page whose
// base is the sweep itself.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isTextEvent } from '../../collector/metrics/request-metrics.ts';
import { readRequests } from '../../collector/store/read-run.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';

export const SWEEP = fileURLToPath(new URL('../fixtures/runs/slo-sweep/', import.meta.url));
export const SWEEP_ID = '20261202-090740-slo-sweep-baa9';
export const SLOWER_ID = '20261202-100000-slo-sweep-slower-0001';

/** The record with its decoding stretched by `factor`. */
export function slowerDecode(record: RequestRecord, factor: number): RequestRecord {
  if (record.status !== 'ok') return record;
  const first = record.events.find(isTextEvent)?.[0];
  if (first === undefined) return record;
  const stretch = (t: number) => (t <= first ? t : first + (t - first) * factor);
  return { ...record, events: record.events.map((e) => [stretch(e[0]), e[1], e[2], e[3]] as typeof e), endMs: record.endMs === null ? null : stretch(record.endMs) };
}

/** Writes the sweep (under its id) and its slower copy into runsDir. */
export async function writeSweepPair(runsDir: string): Promise<void> {
  await cp(SWEEP, join(runsDir, SWEEP_ID), { recursive: true });
  await writeSlowerSweep(runsDir);
}

/** Writes only the slower copy into runsDir (under SLOWER_ID). */
export async function writeSlowerSweep(runsDir: string): Promise<void> {
  const run = JSON.parse(await readFile(join(SWEEP, 'run.json'), 'utf8')) as Record<string, any>;
  run.id = SLOWER_ID;
  run.name = 'slo-sweep slower';
  run.startedAt = '2026-12-02T10:00:00.000Z';
  run.finishedAt = '2026-12-02T10:05:00.000Z';
  run.engines.find((e: { label: string }) => e.label === 'tgi-sim').info.version = '3.3.5';
  const records: RequestRecord[] = [];
  for await (const record of readRequests(SWEEP)) records.push(record.engine === 'tgi-sim' ? slowerDecode(record, 1.15) : record);
  await mkdir(join(runsDir, SLOWER_ID), { recursive: true });
  await writeFile(join(runsDir, SLOWER_ID, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(join(runsDir, SLOWER_ID, 'requests.ndjson.gz'), gzipSync(records.map((r) => `${JSON.stringify(r)}\n`).join('')));
}
