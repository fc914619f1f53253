// One collection: preflight the engines, drive the load against each in turn, append every
// finished request to disk at once, then write the run's summary file.
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { CollectPlan } from '../config/load.ts';
import { makeRedactor, type Redactor } from '../config/redact.ts';
import { streamRequest } from '../http/stream-request.ts';
import { describePhase, expectedRequests, inFlightCap, runPhase } from '../load/registry.ts';
import { autoSweepCalibration, autoSweepPhases } from '../load/sweep.ts';
import type { PhaseOutcome, PhasePlan } from '../load/types.ts';
import { onRecorded, onSent, startPhaseProgress, view } from '../progress/tracker.ts';
import type { Prompt } from '../load/prompts.ts';
import { approximateTokenizer, createSyntheticPrompts, engineTokenizer } from '../workloads/synthetic.ts';
import { withSharedPrefix } from '../workloads/shared-prefix.ts';
import { conversationUsers, runConversations } from './conversation-phase.ts';
import { connectionPlan, openPhaseConnections } from './phase-connections.ts';
import type { Reporter } from '../progress/reporter.ts';
import { startClientSampler } from '../scrape/client-usage.ts';
import { startScraper } from '../scrape/scraper.ts';
import { createRng, seedFromText } from '../sim/model/rng.ts';
import { addRecord, finishPhase, newPhase } from '../metrics/summarize-phase.ts';
import { newRunId } from '../store/run-id.ts';
import type { EngineRun, Objective, PhaseSummary, RequestRecord, Run } from '../store/schema/index.ts';
import { readRequests } from '../store/read-run.ts';
import { errnoOf, finalizeRaw, writeRun, type RawWriter } from '../store/write-run.ts';
import { startRunFiles } from './start-run-files.ts';
import { RAW_FILE, RAW_FILE_GZ, RUN_FILE } from '../store/schema/index.ts';
import { isServebenchError, ServebenchError } from '../errors.ts';
import { closeEngines, openEngines, type EngineSession } from './preflight.ts';
import { engineRunOf, finishRunDocument, startRunDocument } from './run-document.ts';
import { collectNumberProblems, safeRecord, type NumberProblems } from './safe-record.ts';
import { toRecord } from './request-record.ts';
import { engineCall } from './engine-call.ts';

export interface CollectDeps {
  /** Live progress for a person. */
  reporter: Reporter;
  /** Monotonic clock in ms. */
  now: () => number;
  /** Epoch ms at which now() read 0 (performance.timeOrigin for performance.now). */
  timeOrigin: number;
  /** Wall clock, for timestamps a person reads. */
  wallClock: () => Date;
  /** Progress lines for a person (already redacted by the caller's io). */
  log: (line: string) => void;
  signal: AbortSignal;
}

/** The real clocks, with progress and log lines going to `reporter`. */
export function liveDeps(reporter: Reporter, signal: AbortSignal): CollectDeps {
  return {
    now: () => performance.now(),
    timeOrigin: performance.timeOrigin,
    wallClock: () => new Date(),
    log: (line) => reporter.line(line),
    reporter,
    signal,
  };
}

export interface CollectResult {
  run: Run;
  dir: string;
}

export async function runCollection(plan: CollectPlan, deps: CollectDeps): Promise<CollectResult> {
  const sessions = await openEngines(plan.engines, plan.timeouts.connectMs);
  const redact = makeRedactor(plan.secrets);
  const startedAt = deps.wallClock();
  const id = newRunId(startedAt, plan.name);
  const dir = join(plan.outDir, id);
  const origin = deps.now();
  const baseRun = startRunDocument({ id, name: plan.name, startedAt, clockOriginEpochMs: deps.timeOrigin + origin, scenario: plan.scenario, slo: plan.slo, sessions, redact });
  const raw = await startRunFiles(dir, baseRun, plan.outDir).catch(async (error: unknown) => {
    await closeEngines(sessions);
    throw error;
  });
  // Ctrl-C stops new sends at once; requests in flight get a grace period, then are cancelled.
  const cancel = new AbortController();
  const onStop = (): void => {
    deps.log(`stopping: no new requests; waiting up to ${plan.graceMs / 1000} s for those in flight (Ctrl-C again to quit now)`);
    setTimeout(() => cancel.abort(), plan.graceMs).unref();
  };
  if (deps.signal.aborted) onStop();
  else deps.signal.addEventListener('abort', onStop, { once: true });
  // The first failed write stops the run like Ctrl-C, but requests in flight are cancelled at
  // once: their records could not be written anyway, so no grace period is owed to them.
  const stop = AbortSignal.any([deps.signal, raw.failed]);
  raw.failed.addEventListener('abort', () => {
    deps.log(`stopping: ${(raw.failed.reason as Error).message} No new requests; cancelling those in flight`);
    cancel.abort();
  });
  let writeFailure: unknown = null;
  const measured = new Map<string, EngineRun>();
  const measureWarnings: string[] = [];
  const numberProblems = collectNumberProblems();
  try {
    for (const session of sessions) {
      if (stop.aborted) break;
      deps.log(`measuring ${session.plan.label} (${session.plan.kind}${session.info.simulated ? ', SIMULATED' : ''}) at ${session.plan.publicUrl}`);
      const engineRun = await measureEngine(session, plan, { ...deps, signal: stop }, { origin, raw, redact, runId: id, dir, cancel: cancel.signal, warnings: measureWarnings, numberProblems });
      for (const phase of engineRun.phases) {
        deps.log(
          `  ${phase.name}: ${phase.requests.ok}/${phase.requests.total} ok, p50 TTFT ${fmt(phase.ttftMs.p50)} ms, ` +
            `p50 E2E ${fmt(phase.e2eMs.p50)} ms, ${phase.outputTokensPerS} output tok/s`,
        );
      }
      measured.set(session.plan.label, engineRun);
    }
  } finally {
    deps.signal.removeEventListener('abort', onStop);
    writeFailure = await raw.close().then(
      () => null,
      (error: unknown) => error,
    );
    await closeEngines(sessions);
  }
  if (writeFailure !== null && !isWriteFailure(writeFailure)) throw writeFailure;
  const warnings: string[] = [...measureWarnings, ...numberProblems.warnings()];
  if (writeFailure !== null) warnings.push(stoppedWarning(writeFailure));
  if (deps.signal.aborted) warnings.push('interrupted: no request was sent after Ctrl-C; requests still in flight after the grace period were cancelled and recorded as such');
  const run = finishRunDocument(baseRun, {
    aborted: deps.signal.aborted || writeFailure !== null,
    finishedAt: deps.wallClock(),
    engines: baseRun.engines.map((e) => measured.get(e.label) ?? e),
    warnings,
    redact,
  });
  if (writeFailure !== null) throw await stoppedByWriteFailure(writeFailure, dir, run);
  await writeRun(dir, run);
  await finalizeRaw(dir);
  return { run, dir };
}

interface MeasureContext {
  runId: string;
  /** Run-level warnings collected while measuring. */
  warnings: string[];
  /** Cancels requests in flight (the grace period after Ctrl-C has passed). */
  cancel: AbortSignal;
  dir: string;
  origin: number;
  raw: RawWriter;
  redact: Redactor;
  /** Engine numbers left out of records, for the run's warnings. */
  numberProblems: NumberProblems;
}

async function measureEngine(
  session: EngineSession,
  plan: CollectPlan,
  deps: CollectDeps,
  context: MeasureContext,
): Promise<EngineRun> {
  const phases: EngineRun['phases'] = [];
  const prompts = await enginePrompts(session, plan, context);
  const run = async (phasePlan: PhasePlan): Promise<PhaseSummary> => {
    const summary = await measurePhase(session, phasePlan, plan, prompts, deps, context);
    phases.push(summary);
    return summary;
  };
  for (const phasePlan of plan.phases) {
    if (deps.signal.aborted) break;
    await run(phasePlan);
  }
  if (plan.autoSweep && !deps.signal.aborted) {
    // Measure the two ends first, then spread open-loop rates between them.
    const [sequential, saturated] = autoSweepCalibration(plan.bounds);
    const low = await run(sequential!);
    const high = deps.signal.aborted ? null : await run(saturated!);
    if (high && !deps.signal.aborted) {
      const { steps, arrival, maxInFlight } = plan.autoSweep;
      let rated: PhasePlan[] = [];
      try {
        rated = autoSweepPhases(low.requestsPerS, high.requestsPerS, steps, arrival, plan.bounds, maxInFlight);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        // A calibration phase that completed nothing leaves no rates to spread: say so, keep what was measured.
        context.warnings.push(`${session.plan.label}: auto sweep stopped after calibration: ${error.message}`);
      }
      for (const phasePlan of rated) {
        if (deps.signal.aborted) break;
        await run(phasePlan);
      }
    }
  }
  return engineRunOf(session, phases, context.redact);
}

async function measurePhase(
  session: EngineSession,
  phasePlan: PhasePlan,
  plan: CollectPlan,
  prompts: Prompt[],
  deps: CollectDeps,
  context: MeasureContext,
): Promise<PhaseSummary> {
  // Before the phase's clock starts: its connections, as its users would hold them.
  const inFlight = plan.workload.conversations ? { cap: conversationUsers(phasePlan), users: true } : inFlightCap(phasePlan.load);
  const connections = await openPhaseConnections(session.plan, connectionPlan(inFlight, plan.coldConnections), plan.timeouts.connectMs);
  if (connections.problem) context.warnings.push(`${session.plan.label} / ${phasePlan.name}: ${connections.problem}`);
  try {
    return await measureOnConnections(session, phasePlan, plan, prompts, deps, context, connections.dispatcher);
  } finally {
    await connections.close();
  }
}

/** The phase itself, its requests sent on `dispatcher`. */
async function measureOnConnections(
  session: EngineSession,
  phasePlan: PhasePlan,
  plan: CollectPlan,
  prompts: Prompt[],
  deps: CollectDeps,
  context: MeasureContext,
  dispatcher: Dispatcher,
): Promise<PhaseSummary> {
  const stream = phasePlan.stream ?? plan.stream;
  const conversations = plan.workload.conversations;
  const startByte = context.raw.bytesWritten();
  const progress = startPhaseProgress(
    {
      engine: session.plan.label,
      phase: phasePlan.name,
      simulated: session.info.simulated,
      description: describePhase(phasePlan),
      expectedRequests: expectedRequests(phasePlan),
    },
    deps.now(),
    phasePlan.bounds.durationS ?? null,
  );
  const ticker = setInterval(() => deps.reporter.update(view(progress, deps.now())), deps.reporter.intervalMs);
  const scraper = startScraper({ kind: session.plan.kind, fetcher: session.fetcher, intervalMs: plan.scrapeIntervalMs, now: deps.now, origin: context.origin });
  const sampler = startClientSampler({ intervalMs: 1000 });
  // Deltas run from the first scrape: it must land before the first request of the phase.
  await scraper.ready;
  /** Sends one request and records it; resolves with the record. */
  const sendOne = async (seq: number, scheduledAt: number, warmup: boolean, prompt: Prompt): Promise<RequestRecord> => {
    onSent(progress);
    const streamed = await streamRequest({
      dispatcher,
      closeConnection: plan.coldConnections,
      base: session.plan.url,
      ...engineCall(session, plan, prompt.messages, stream, `${context.runId}-${session.plan.label}-${phasePlan.name}-${seq}`),
      classifyHttpError: session.plan.adapter.classifyHttpError,
      now: deps.now,
      timeouts: plan.timeouts,
      textLimit: plan.textLimit,
      signal: context.cancel,
    });
    const problems: string[] = [];
    const record = safeRecord(
      toRecord(
        streamed,
        { seq, engine: session.plan.label, phase: phasePlan.name, warmup, promptId: prompt.id, origin: context.origin, scheduledAt, maxTokens: plan.maxTokens },
        problems,
      ),
      context.redact,
      problems,
    );
    if (problems.length > 0) context.numberProblems.add(session.plan.label, problems);
    // Not awaited: the disk write must not delay this user's next send. Counted once it is on
    // disk; a failed write stops the run (raw.failed) and close() reports it.
    context.raw.append(record).then(
      () => onRecorded(progress, record, deps.now()),
      () => undefined,
    );
    return record;
  };
  let outcome: PhaseOutcome;
  try {
    outcome = conversations
      ? await runConversations(phasePlan, conversations, {
          now: deps.now,
          signal: deps.signal,
          sendTurn: async (seq, scheduledAt, warmup, id, messages) => {
            const record = await sendOne(seq, scheduledAt, warmup, { id, messages });
            // The history carries what the engine really answered (kept up to textLimit).
            return record.status === 'ok' ? record.text : null;
          },
        })
      : await runPhase(phasePlan, {
          now: deps.now,
          signal: deps.signal,
          sleep: (ms) => sleep(ms, deps.signal),
          rng: createRng((plan.seed ^ seedFromText(`${session.plan.label}/${phasePlan.name}`)) >>> 0),
          send: async (seq, scheduledAt, warmup) => {
            await sendOne(seq, scheduledAt, warmup, prompts[seq % prompts.length]!);
          },
        });
  } finally {
    clearInterval(ticker);
  }
  const [server, client] = [await scraper.stop(), sampler.stop()];
  for (const warning of scraper.warnings()) context.warnings.push(`${session.plan.label} / ${phasePlan.name}: ${warning}`);
  const summary = await summarizeFromDisk(context, phasePlan, session.plan.label, startByte, plan.slo?.objectives ?? null);
  const phase: PhaseSummary = { ...summary, requests: { ...summary.requests, dropped: outcome.dropped }, server, client };
  for (const warning of clientWarnings(session.plan.label, phase)) context.warnings.push(warning);
  return phase;
}

/** The prompts for one engine: synthetic lengths are calibrated with that engine's own tokenizer. */
async function enginePrompts(session: EngineSession, plan: CollectPlan, context: MeasureContext): Promise<Prompt[]> {
  const { synthetic, sharedPrefixTokens } = plan.workload;
  if (!synthetic && !sharedPrefixTokens) return plan.prompts;
  const exact = engineTokenizer(session.plan.kind, session.fetcher, session.plan.model);
  const tokenizer = exact ?? approximateTokenizer();
  if (!exact) {
    context.warnings.push(`${session.plan.label}: prompt lengths are approximate (about 4 characters per token): ${session.plan.kind} has no /tokenize endpoint`);
  }
  let prompts: Prompt[] = synthetic
    ? (await createSyntheticPrompts({ ...synthetic, seed: plan.seed, tokenizer })).map((p) => ({ id: p.id, messages: p.messages }))
    : plan.prompts;
  if (sharedPrefixTokens) prompts = await withSharedPrefix(prompts, { tokens: sharedPrefixTokens, seed: plan.seed, tokenizer });
  return prompts;
}

/** Says when the client, not the engine, set the pace: dropped arrivals or late sends. */
export function clientWarnings(engine: string, phase: PhaseSummary): string[] {
  const warnings: string[] = [];
  const where = `${engine} / ${phase.name}`;
  if (phase.requests.dropped > 0) {
    const cap = (phase.load as { maxInFlight?: number }).maxInFlight;
    warnings.push(
      `${where}: the client could not keep up with the arrival schedule: ${phase.requests.dropped} arrivals were dropped because ${cap ?? 'the maximum'} requests were already in flight, so the offered load was not delivered`,
    );
  }
  const lag = phase.sendLagMs?.p99;
  if (lag !== null && lag !== undefined && lag > LAG_WARNING_MS) {
    warnings.push(`${where}: the client sent late (send lag p99 ${lag.toFixed(1)} ms): it could not keep up with the schedule, so latencies may hide queueing in the client`);
  }
  const loopLag = phase.client?.eventLoopLagP99Ms;
  if (loopLag !== null && loopLag !== undefined && loopLag > LOOP_LAG_WARNING_MS) {
    warnings.push(
      `${where}: the collector's event loop lagged ${loopLag.toFixed(1)} ms (p99), so chunk arrival times may be stamped up to that late: the client may have been the bottleneck; measure with fewer streams per collector`,
    );
  }
  return warnings;
}

const LAG_WARNING_MS = 10;
// The collector stamps chunks in the loop's I/O callbacks: a lag past a few ms is larger than the
// timing error it achieves when it keeps up (about 1 ms p99 at 64 streams), so its times are suspect.
const LOOP_LAG_WARNING_MS = 5;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A phase's summary is computed from its records read back from disk, so nothing per request
 * is held in memory while the load runs: memory stays flat however long a phase lasts.
 */
async function summarizeFromDisk(
  context: MeasureContext,
  phasePlan: PhasePlan,
  engine: string,
  startByte: number,
  objectives: readonly Objective[] | null,
): Promise<PhaseSummary> {
  await context.raw.flush();
  const phase = newPhase(phasePlan.name, phasePlan.load, objectives);
  for await (const record of readRequests(context.dir, { startByte })) {
    if (record.engine === engine && record.phase === phasePlan.name) addRecord(phase, record);
  }
  return finishPhase(phase);
}





function isWriteFailure(error: unknown): error is ServebenchError {
  return isServebenchError(error) && error.code === 'WRITE_FAILED';
}

function stoppedWarning(failure: ServebenchError): string {
  const code = errnoOf(failure.cause) ?? 'an I/O error';
  return `stopped early: a write to the run failed (${code}); no request was sent after it and requests in flight were cancelled, so the run holds only the requests written before the failure`;
}

/**
 * The run stopped at a failed write: save what can be saved (run.json with the summaries read
 * back from disk, then the gzip), and say how many requests are on disk and what to do.
 */
async function stoppedByWriteFailure(failure: ServebenchError, dir: string, run: Run): Promise<ServebenchError> {
  const saved = await writeRun(dir, run).then(
    () => true,
    () => false,
  );
  const finalized = saved && (await finalizeRaw(dir).then(
    () => true,
    () => false,
  ));
  const records = run.engines.flatMap((e) => e.phases).reduce((n, p) => n + p.requests.total + p.requests.warmup, 0);
  const where = finalized ? RAW_FILE_GZ : RAW_FILE;
  const state = saved
    ? `${RUN_FILE} counts the same and says aborted`
    : `${RUN_FILE} could not be updated and still says partial`;
  return new ServebenchError(
    'WRITE_FAILED',
    `${failure.message} The run stopped there: no request was sent after it, and the ${records} request${records === 1 ? '' : 's'} written before it are in ${where} (${state}).`,
    finalized
      ? `the run is saved as aborted; free space on that disk or pass --out a directory on another disk for the next run.`
      : `free space on that disk (or pass --out another disk for the next run), then run \`servebench runs recover ${dir}\` to complete this run from the records on disk.`,
    { cause: failure.cause },
  );
}

const fmt = (value: number | null): string => (value === null ? '–' : value.toFixed(1));
