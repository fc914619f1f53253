// One race: the same prompt sent to every engine at the same moment, each answer timed as it
// streams, then saved as a run with one `race` phase per engine (same files as `collect`).
import { join } from 'node:path';
import type { CollectPlan } from '../config/load.ts';
import { makeRedactor } from '../config/redact.ts';
import type { StreamEvent } from '../engines/engine.ts';
import { streamRequest, type StreamOutcome } from '../http/stream-request.ts';
import { addRecord, finishPhase, newPhase } from '../metrics/summarize-phase.ts';
import { newRunId } from '../store/run-id.ts';
import type { PhaseSummary, RequestRecord, Run } from '../store/schema/index.ts';
import { finalizeRaw, writeRun, type RawWriter } from '../store/write-run.ts';
import { startRunFiles } from '../collect/start-run-files.ts';
import { closeEngines, openEngines, type EngineSession } from '../collect/preflight.ts';
import { toRecord } from '../collect/request-record.ts';
import { engineCall } from '../collect/engine-call.ts';
import { engineRunOf, finishRunDocument, startRunDocument } from '../collect/run-document.ts';
import { collectNumberProblems, safeRecord } from '../collect/safe-record.ts';

export const RACE_PHASE = 'race';

export interface RaceDeps {
  /** Monotonic clock in ms. */
  now: () => number;
  /** Epoch ms at which now() read 0. */
  timeOrigin: number;
  wallClock: () => Date;
  /** Ctrl-C: requests in flight are cancelled at once (and recorded as such). */
  signal: AbortSignal;
  /** false: nothing is written to disk. */
  save: boolean;
  /** Engines are up and described; nothing is sent yet. */
  onReady?: (sessions: EngineSession[]) => void;
  /** Engine `index` was sent its request at `at`. */
  onSent?: (index: number, at: number) => void;
  /** A decoded event of engine `index`, at its arrival time. Must be cheap: other streams are being timed. */
  onEvent?: (index: number, event: StreamEvent, at: number) => void;
  /** Engine `index` finished (answer complete or failed), as recorded. */
  onRecorded?: (index: number, record: RequestRecord) => void;
}

export interface RaceResult {
  run: Run;
  /** Where the run was written; null with save false. */
  dir: string | null;
  /** One per engine, in the run's engine order (redacted). */
  records: RequestRecord[];
}

/** The scenario a race records: collect's workload fields, the prompt, and the one race phase. */
export function raceScenario(plan: CollectPlan, engines: number): Record<string, unknown> & { seed: number } {
  const { scenario } = plan;
  const prompt = plan.prompts[0]!;
  return {
    name: plan.name,
    command: 'race',
    prompt: prompt.messages.at(-1)?.content ?? '',
    model: scenario.model ?? null,
    maxTokens: plan.maxTokens,
    temperature: plan.temperature,
    seed: plan.seed,
    forceOutputLength: plan.forceOutputLength,
    stream: plan.stream,
    timeouts: scenario.timeouts,
    phases: [{ name: RACE_PHASE, load: raceLoad(engines), bounds: { requests: 1 } }],
    prompts: { source: 'argument', count: 1, items: [prompt] },
  };
}

function raceLoad(engines: number): PhaseSummary['load'] {
  return { shape: 'race', engines };
}

export async function runRace(plan: CollectPlan, deps: RaceDeps): Promise<RaceResult> {
  const sessions = await openEngines(plan.engines, plan.timeouts.connectMs);
  let raw: RawWriter | null = null;
  const cancel = new AbortController();
  const onStop = (): void => cancel.abort();
  try {
    const redact = makeRedactor(plan.secrets);
    const numberProblems = collectNumberProblems();
    const startedAt = deps.wallClock();
    const id = newRunId(startedAt, plan.name);
    const dir = deps.save ? join(plan.outDir, id) : null;
    const origin = deps.now();
    const base = startRunDocument({
      id,
      name: plan.name,
      startedAt,
      clockOriginEpochMs: deps.timeOrigin + origin,
      scenario: raceScenario(plan, sessions.length),
      // One answer per engine: too few to judge any objective, so a race states none.
      slo: null,
      sessions,
      redact,
    });
    if (dir) {
      const opened = await startRunFiles(dir, base, plan.outDir);
      raw = opened;
      // A failed write stops the race: the other answers could not be saved either.
      opened.failed.addEventListener('abort', onStop, { once: true });
    }
    if (deps.signal.aborted) onStop();
    else deps.signal.addEventListener('abort', onStop, { once: true });
    deps.onReady?.(sessions);

    // Every request is built before the first is sent, so the sends follow each other at once.
    const prompt = plan.prompts[0]!;
    const calls = sessions.map((session) =>
      engineCall(session, plan, prompt.messages, plan.stream, `${id}-${session.plan.label}-${RACE_PHASE}-0`),
    );
    const scheduledAt = deps.now();
    const outcomes: Promise<StreamOutcome>[] = [];
    sessions.forEach((session, index) => {
      const { call, headers, decoder } = calls[index]!;
      deps.onSent?.(index, deps.now());
      outcomes.push(
        streamRequest({
          dispatcher: session.dispatcher,
          base: session.plan.url,
          call,
          headers,
          decoder,
          classifyHttpError: session.plan.adapter.classifyHttpError,
          now: deps.now,
          timeouts: plan.timeouts,
          textLimit: plan.textLimit,
          signal: cancel.signal,
          ...(deps.onEvent ? { onEvent: (event: StreamEvent, at: number) => deps.onEvent!(index, event, at) } : {}),
        }),
      );
    });
    const records = await Promise.all(
      outcomes.map(async (pending, index) => {
        const session = sessions[index]!;
        const problems: string[] = [];
        const record = safeRecord(
          toRecord(
            await pending,
            { seq: 0, engine: session.plan.label, phase: RACE_PHASE, warmup: false, promptId: prompt.id, origin, scheduledAt, maxTokens: plan.maxTokens },
            problems,
          ),
          redact,
          problems,
        );
        numberProblems.add(session.plan.label, problems);
        // Not awaited: a slow disk must not delay the other engines' streams; close() reports a
        // failure (and raw.failed has cancelled the other streams by then).
        raw?.append(record).catch(() => undefined);
        deps.onRecorded?.(index, record);
        return record;
      }),
    );
    const engines = sessions.map((session, index) => {
      const phase = newPhase(RACE_PHASE, raceLoad(sessions.length));
      addRecord(phase, records[index]!);
      return engineRunOf(session, [finishPhase(phase)], redact);
    });
    const aborted = deps.signal.aborted;
    const run = finishRunDocument(base, {
      aborted,
      finishedAt: deps.wallClock(),
      engines,
      warnings: [...numberProblems.warnings(), ...(aborted ? ['interrupted: answers still streaming at Ctrl-C were cancelled and recorded as such'] : [])],
      redact,
    });
    if (dir && raw) {
      await raw.close();
      await writeRun(dir, run);
      await finalizeRaw(dir);
    }
    return { run, dir, records };
  } finally {
    deps.signal.removeEventListener('abort', onStop);
    await raw?.close().catch(() => undefined);
    await closeEngines(sessions);
  }
}
