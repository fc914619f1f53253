// Small hand-made runs for the chart tests: raw records written out by hand, their phase
// summaries folded by the collector's own summarizer, around the golden run's metadata.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capacityAtSlo } from '../../../../collector/metrics/slo/capacity.ts';
import { parseObjectives } from '../../../../collector/metrics/slo/parse.ts';
import { addRecord, finishPhase, newPhase } from '../../../../collector/metrics/summarize-phase.ts';
import { readRequests, readRun } from '../../../../collector/store/read-run.ts';
import type { ErrorKind, PhaseSummary, RequestRecord, Run } from '../../../../collector/store/schema/index.ts';

export const GOLDEN = fileURLToPath(new URL('../../../fixtures/runs/golden/', import.meta.url));
const RUNS = fileURLToPath(new URL('../../../../runs/', import.meta.url));

/** The committed demo run under runs/. */
export function demoRunDir(): string {
  const dir = readdirSync(RUNS).filter((name) => name.includes('demo')).sort()[0];
  if (dir === undefined) throw new Error(`no demo run under ${RUNS}`);
  return join(RUNS, dir);
}

export async function loadRun(dir: string): Promise<{ run: Run; records: RequestRecord[] }> {
  const records: RequestRecord[] = [];
  for await (const record of readRequests(dir)) records.push(record);
  return { run: await readRun(dir), records };
}

export interface Req {
  engine: string;
  phase?: string;
  sentMs: number;
  /** First content at this offset; null for a request that failed. */
  ttftMs?: number;
  /** Gaps between content events after the first. */
  gapsMs?: number[];
  errorKind?: ErrorKind;
  warmup?: boolean;
}

export function record(req: Req, seq = 0): RequestRecord {
  const failed = req.errorKind !== undefined;
  const events: RequestRecord['events'] = [];
  let endMs = 5;
  if (!failed) {
    let at = req.ttftMs ?? 10;
    events.push([at, 'content', null, 4]);
    for (const gap of req.gapsMs ?? [10, 10, 10]) {
      at += gap;
      events.push([Math.round(at * 1000) / 1000, 'content', null, 4]);
    }
    endMs = at + 1;
    events.push([endMs, 'finish', null, 0]);
  }
  return {
    seq,
    engine: req.engine,
    phase: req.phase ?? 'main',
    warmup: req.warmup ?? false,
    promptId: 'p',
    scheduledMs: req.sentMs,
    sentMs: req.sentMs,
    headersMs: failed ? 4 : 1,
    endMs,
    httpStatus: failed ? 500 : 200,
    status: failed ? 'error' : 'ok',
    error: failed ? { kind: req.errorKind!, message: 'boom', classification: null, httpStatus: 500 } : null,
    finishReason: failed ? null : 'length',
    stoppedEarly: failed ? null : false,
    inputTokens: failed ? null : 10,
    outputTokens: failed ? null : events.length - 1,
    outputTokensSource: failed ? null : 'usage',
    events,
    native: null,
    text: '',
    textTruncated: false,
  };
}

export interface RunOptions {
  /** Load of each phase by name; closed-loop concurrency 1 unless told. */
  loads?: Record<string, PhaseSummary['load']>;
  /** Objectives as typed (`ttft:p95<100ms`): phases are judged against them as the collector does. */
  slo?: string[];
  /** Server gauges per engine label: name → points [offset ms, value]. */
  server?: Record<string, Record<string, Array<[number, number]>>>;
}

/** A valid run around the records: engines and phases in the records' order, summaries folded from them. */
export async function makeRun(records: RequestRecord[], options: RunOptions = {}): Promise<Run> {
  const template = await readRun(GOLDEN);
  const parsed = parseObjectives(options.slo ?? [], (text) => text);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.join('\n'));
  const objectives = options.slo === undefined ? null : parsed.objectives;
  const labels = [...new Set(records.map((r) => r.engine))];
  const engines = labels.map((label) => {
    const own = records.filter((r) => r.engine === label);
    const phases = [...new Set(own.map((r) => r.phase))].map((name) => {
      const acc = newPhase(name, options.loads?.[name] ?? { shape: 'closed-loop', concurrency: 1 }, objectives);
      for (const r of own.filter((r) => r.phase === name)) addRecord(acc, r);
      const summary = finishPhase(acc);
      const gauges = options.server?.[label];
      if (gauges !== undefined) {
        summary.server = {
          source: 'prometheus',
          intervalMs: 1000,
          scrapes: 1,
          failures: 0,
          lastError: null,
          series: Object.entries(gauges).map(([series, points]) => ({ name: series, metric: `m:${series}`, points })),
          deltas: {},
          quantiles: [],
        };
      }
      return summary;
    });
    const capacity = objectives === null ? undefined : capacityAtSlo(phases);
    return { ...template.engines[0]!, label, phases, ...(capacity === undefined ? {} : { capacityAtSlo: capacity }) };
  });
  return {
    ...template,
    id: 'test-run',
    name: 'test run',
    scenario: { ...template.scenario, ...(options.slo ? { slo: options.slo } : {}) },
    slo: objectives === null ? null : { objectives, source: 'scenario' },
    engines,
  };
}

/** Every axis title of a spec's quantitative x/y encodings, wherever they are nested. */
export function axisTitles(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      const encoding = obj['encoding'] as Record<string, { title?: unknown; type?: unknown }> | undefined;
      if (encoding !== undefined) {
        for (const channel of ['x', 'y'] as const) {
          const title = encoding[channel]?.title;
          if (typeof title === 'string' && encoding[channel]?.type === 'quantitative') out.push(title);
        }
      }
      Object.values(obj).forEach(walk);
    }
  };
  walk(spec);
  return out;
}
