// Completes a run whose collector stopped without writing its summaries (kill -9, a crash, a
// second Ctrl-C): the raw file holds every request that finished, so the summaries are rebuilt
// from it and the run is saved as `partial`.
import type { Truncation } from '../store/read-run.ts';
import { readRequests, readRun } from '../store/read-run.ts';
import type { PhaseSummary, Run } from '../store/schema/index.ts';
import { finalizeRaw, writeRun } from '../store/write-run.ts';
import { addRecord, finishPhase, newPhase, type PhaseAccumulator } from '../metrics/summarize-phase.ts';

export interface Recovery {
  run: Run;
  /** False when the run had finished normally: nothing to recover. */
  recovered: boolean;
  records: number;
  truncations: Truncation[];
}

export async function recoverRun(dir: string): Promise<Recovery> {
  const run = await readRun(dir);
  if (run.status !== 'partial') return { run, recovered: false, records: 0, truncations: [] };
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
    const phase = phases.get(record.phase) ?? newPhase(record.phase, loads.get(record.phase) ?? { shape: 'unknown' });
    phases.set(record.phase, phase);
    addRecord(phase, record);
    if (record.status !== 'ok' && !record.warmup) errorsByKind[record.error?.kind ?? 'unknown'] = (errorsByKind[record.error?.kind ?? 'unknown'] ?? 0) + 1;
    lastEndMs = Math.max(lastEndMs, record.sentMs + (record.endMs ?? 0));
  }
  const recovered: Run = {
    ...run,
    status: 'partial',
    finishedAt: new Date(run.clockOriginEpochMs + lastEndMs).toISOString(),
    engines: run.engines.map((engine) => ({
      ...engine,
      phases: [...(byEngine.get(engine.label)?.values() ?? [])].map(finishPhase),
    })),
    errorsByKind,
    warnings: [
      `recovered by \`servebench runs recover\` from ${records} raw record${records === 1 ? '' : 's'}: the collector stopped before it finished (killed, crashed, or quit with a second Ctrl-C); requests in flight at that moment are not in the run`,
      ...truncations.map((t) => t.reason),
    ],
  };
  await writeRun(dir, recovered);
  await finalizeRaw(dir);
  return { run: recovered, recovered: true, records, truncations };
}
