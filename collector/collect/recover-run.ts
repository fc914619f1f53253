// Completes a run whose collector stopped without writing its summaries (kill -9, a crash, a
// second Ctrl-C, a full disk): the raw file holds every request that finished, so the raw file is
// repaired first (cut lines, leftovers of a finalisation killed midway), then the summaries are
// rebuilt from it and the run is saved as `partial`. Running it again changes nothing.
import type { Truncation } from '../store/read-run.ts';
import { readRequests, readRun } from '../store/read-run.ts';
import type { PhaseSummary, Run } from '../store/schema/index.ts';
import { finalizeRaw, repairRaw, writeRun, type RawRepair } from '../store/write-run.ts';
import { addDropped, addRecord, finishPhase, newPhase, type PhaseAccumulator } from '../metrics/summarize-phase.ts';
import { withCapacity } from './run-document.ts';

export interface Recovery {
  run: Run;
  /** True when the summaries were rebuilt from the raw file (the run is then partial). */
  recovered: boolean;
  /** Whole records in the raw file. */
  records: number;
  /** Requests the run counted before recovery (total + warm-up over its phases). */
  counted: number;
  truncations: Truncation[];
  /** What was wrong with the raw file and what was done about it. */
  repair: RawRepair;
}

const RECOVERED = 'recovered by `servebench runs recover`';

export async function recoverRun(dir: string): Promise<Recovery> {
  const run = await readRun(dir);
  const repair = await repairRaw(dir);
  const counted = recordsCounted(run);
  const old = new Map(run.engines.flatMap((e) => e.phases.map((p) => [`${e.label}\u0000${p.name}`, p] as const)));
  const loads = new Map<string, PhaseSummary['load']>();
  for (const phase of (run.scenario as { phases?: { name: string; load: PhaseSummary['load'] }[] }).phases ?? []) {
    loads.set(phase.name, phase.load);
  }
  // Engine label → phases in the order their first record appears.
  const byEngine = new Map<string, Map<string, PhaseAccumulator>>();
  const errorsByKind: Record<string, number> = {};
  const truncations: Truncation[] = [];
  let records = 0;
  let lastEndMs = 0;
  for await (const record of readRequests(dir, { onTruncated: (t) => truncations.push(t) })) {
    records += 1;
    const phases = byEngine.get(record.engine) ?? new Map<string, PhaseAccumulator>();
    byEngine.set(record.engine, phases);
    let phase = phases.get(record.phase);
    if (!phase) {
      const before = old.get(`${record.engine}\u0000${record.phase}`);
      phase = newPhase(record.phase, before?.load ?? loads.get(record.phase) ?? { shape: 'unknown' }, run.slo?.objectives ?? null);
      // Arrivals dropped by the client are not records: keep the count the collector wrote.
      if (before) addDropped(phase, before.requests.dropped);
      phases.set(record.phase, phase);
    }
    addRecord(phase, record);
    if (record.status !== 'ok' && !record.warmup) errorsByKind[record.error?.kind ?? 'unknown'] = (errorsByKind[record.error?.kind ?? 'unknown'] ?? 0) + 1;
    lastEndMs = Math.max(lastEndMs, record.sentMs + (record.endMs ?? 0));
  }
  // A finished run whose raw file holds what it counted needs no new summaries; its raw file
  // may still have needed the repair above (leftovers of a finalisation killed midway).
  if (run.status !== 'partial' && records >= counted) {
    await finalizeRaw(dir);
    return { run, recovered: false, records, counted, truncations, repair };
  }
  const lost =
    run.status !== 'partial'
      ? [`the run was ${run.status} and counted ${counted} requests, but its raw file holds ${records}: the summaries were rebuilt from those, so the run is now partial`]
      : [];
  const recovered: Run = {
    ...run,
    status: 'partial',
    finishedAt: new Date(run.clockOriginEpochMs + lastEndMs).toISOString(),
    engines: run.engines.map(({ capacityAtSlo: _stale, ...engine }) => ({
      ...engine,
      ...withCapacity([...(byEngine.get(engine.label)?.values() ?? [])].map((phase) => {
        const summary = finishPhase(phase);
        // What the collector measured beside the records (engine scrapes, its own CPU) is kept.
        const before = old.get(`${engine.label}\u0000${phase.name}`);
        return {
          ...summary,
          ...(before?.server !== undefined ? { server: before.server } : {}),
          ...(before?.client !== undefined ? { client: before.client } : {}),
        };
      })),
    })),
    errorsByKind,
    warnings: unique([
      `${RECOVERED} from ${records} raw record${records === 1 ? '' : 's'}: the collector stopped before it finished (killed, crashed, quit with a second Ctrl-C, or a write failed); requests in flight at that moment are not in the run`,
      ...run.warnings.filter((w) => !w.startsWith(RECOVERED)),
      ...lost,
      ...repair.notes.map((n) => `raw file repaired by \`servebench runs recover\`: ${n}`),
      ...truncations.map((t) => t.reason),
    ]),
  };
  await writeRun(dir, recovered);
  await finalizeRaw(dir);
  return { run: recovered, recovered: true, records, counted, truncations, repair };
}

/** Raw records a run's summaries account for: every measured request plus the warm-up ones. */
export function recordsCounted(run: Run): number {
  return run.engines.flatMap((e) => e.phases).reduce((n, p) => n + p.requests.total + p.requests.warmup, 0);
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)];
}
