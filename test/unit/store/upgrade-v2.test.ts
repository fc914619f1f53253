// Run format v2 → v3 on a real v2 file: test/fixtures/runs/v2-golden is the golden run exactly as
// the v2 store wrote it. v3 only adds, so it reads as the v3 golden run of the same requests
// (test/fixtures/runs/v3-golden), both upgraded to the current format.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRequests, readRun } from '../../../collector/store/read-run.ts';
import { RequestRecord } from '../../../collector/store/schema/index.ts';
import * as v2 from '../../../collector/store/schema/v2.ts';
import { upgradeV2 } from '../../../collector/store/upgrade-v2.ts';

const V2 = fileURLToPath(new URL('../../fixtures/runs/v2-golden/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/runs/v3-golden/', import.meta.url));

async function records(dir: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  for await (const record of readRequests(dir)) out.push(record);
  return out;
}

describe('reading a v2 run', () => {
  it('upgrades it to the current format with nothing else changed', async () => {
    const run = await readRun(V2);
    expect(run.schemaVersion).toBe(4);
    const golden = await readRun(GOLDEN);
    expect(run).toEqual(golden);
    expect(await records(V2)).toEqual(await records(GOLDEN));
  });

  it('v3 records a v2 reader would reject are a new version: the too_large kind and omitted events', () => {
    const record = {
      seq: 0, engine: 'e', phase: 'p', warmup: false, promptId: 'x', scheduledMs: 0, sentMs: 0, headersMs: 1, endMs: 2,
      httpStatus: 200, status: 'error', finishReason: null, stoppedEarly: null, inputTokens: null, outputTokens: null,
      outputTokensSource: null, events: [], native: null, text: '', textTruncated: false,
      error: { kind: 'too_large', message: 'line over 1 MiB', classification: null, httpStatus: 200 },
      eventsOmitted: { count: 3, textEvents: 3, tokens: 0, textChars: 9, firstMs: 1, lastMs: 2, lastTextMs: 2 },
    };
    expect(RequestRecord.safeParse(record).success).toBe(true);
    expect(v2.RequestRecord.safeParse(record).success).toBe(false);
  });
});

describe('upgradeV2', () => {
  it('turns v2 event-loop delay, which included the 10 ms sampling period, into v3 lag', () => {
    const phase = (client: unknown) => ({ engines: [{ phases: [{ name: 'p', client }] }] });
    const lagOf = (doc: Record<string, unknown>) => ((doc['engines'] as { phases: { client: Record<string, unknown> }[] }[])[0]!.phases[0]!.client);
    expect(lagOf(upgradeV2(phase({ rssMaxBytes: 1, eventLoopDelayP99Ms: 14.6 })))).toEqual({ rssMaxBytes: 1, eventLoopLagP99Ms: 4.6 });
    expect(lagOf(upgradeV2(phase({ rssMaxBytes: 1, eventLoopDelayP99Ms: 10.2 })))).toEqual({ rssMaxBytes: 1, eventLoopLagP99Ms: 0.2 });
    expect(lagOf(upgradeV2(phase({ rssMaxBytes: 1, eventLoopDelayP99Ms: null })))).toEqual({ rssMaxBytes: 1, eventLoopLagP99Ms: null });
    // Not a number: left under its old name for the reader to report.
    expect(lagOf(upgradeV2(phase({ eventLoopDelayP99Ms: 'x' })))).toEqual({ eventLoopDelayP99Ms: 'x' });
  });
});
