// Starts one simulated engine on 127.0.0.1:0 with the real scheduler and a fast, jitter-free
// profile (1 ms decode steps), an in-memory ground-truth trace and, where the engine has one, its
// /metrics exporter. Faults can be scripted per request.
import { createEngineMetrics } from '../../collector/sim/metrics/index.ts';
import { realClock } from '../../collector/sim/model/clocks.ts';
import { PROFILES, withOverrides } from '../../collector/sim/model/profiles.ts';
import { createRng } from '../../collector/sim/model/rng.ts';
import { createScheduler } from '../../collector/sim/model/scheduler.ts';
import { startSimEngine, type SimEngine } from '../../collector/sim/server.ts';
import { DEFAULT_MODELS } from '../../collector/sim/spec.ts';
import { createTraceMemory } from '../../collector/sim/trace.ts';
import type { FaultInjector, LatencyProfile, RequestFaults, Scheduler, SimKind, TraceEntry } from '../../collector/sim/types.ts';

export interface RunningSim {
  engine: SimEngine;
  url: string;
  model: string;
  scheduler: Scheduler;
  trace: TraceEntry[];
  close(): Promise<void>;
}

export interface SimSetup {
  model?: string;
  seed?: number;
  profile?: Partial<LatencyProfile>;
  /** One plan per generation request, in arrival order; later requests get none. */
  faults?: RequestFaults[];
}

/** 1 ms per decode step, near-free prefill, no jitter: answers arrive fast and evenly paced. */
export const FAST: Partial<LatencyProfile> = { decodeStepBaseMs: 1, decodeStepPerSeqMs: 0, prefillMsPerToken: 0.001, jitter: 0 };

export function scriptedFaults(plans: RequestFaults[]): FaultInjector {
  const queue = [...plans];
  return { plan: () => queue.shift() ?? {} };
}

export async function startSim(kind: SimKind, setup: SimSetup = {}): Promise<RunningSim> {
  const clock = realClock();
  const profile = withOverrides(PROFILES[kind], { ...FAST, ...setup.profile });
  const model = setup.model ?? DEFAULT_MODELS[kind];
  let scheduler: Scheduler | undefined;
  const metrics = createEngineMetrics(kind, { model, profile, scheduler: () => scheduler!.snapshot() });
  scheduler = createScheduler(profile, { clock, rng: createRng(1), ...(metrics ? { observer: metrics.observer } : {}) });
  const trace = createTraceMemory();
  const engine = await startSimEngine({
    kind,
    port: 0,
    model,
    seed: setup.seed ?? 42,
    scheduler,
    profile,
    clock,
    metrics,
    trace,
    ...(setup.faults ? { faults: scriptedFaults(setup.faults) } : {}),
  });
  const owned = scheduler;
  return {
    engine,
    url: engine.url,
    model,
    scheduler: owned,
    trace: trace.entries,
    close: async () => {
      await engine.close();
      owned.close();
    },
  };
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
