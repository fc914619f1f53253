// Starts simulated engines: per engine a scheduler with its latency profile, its /metrics
// exporter, its fault plan and its protocol server, all seeded from one seed.
import { createEngineMetrics } from './metrics/index.ts';
import { realClock } from './model/clocks.ts';
import { PROFILES, isProfileName, withOverrides } from './model/profiles.ts';
import { createRng, seedFromText } from './model/rng.ts';
import { createScheduler } from './model/scheduler.ts';
import { createFaultInjector, hasFaults, type FaultConfig } from './faults.ts';
import { startSimEngine } from './server.ts';
import { DEFAULT_MODELS, type SimSpec } from './spec.ts';
import type { Clock, LatencyProfile, TraceSink } from './types.ts';

export interface SimOptions {
  seed: number;
  host?: string;
  /** Overrides the served model name of every engine. */
  model?: string;
  /** Applied to every engine's profile (e.g. {maxBatch: 512}). */
  overrides?: Partial<LatencyProfile>;
  /** Fault config per engine label; '*' applies to all. */
  faults?: Record<string, FaultConfig>;
  trace?: TraceSink;
  clock?: Clock;
}

export interface RunningSim {
  label: string;
  kind: string;
  url: string;
  profile: string;
  model: string;
}

export interface Simulation {
  engines: RunningSim[];
  close(): Promise<void>;
}

export async function startSimulation(specs: SimSpec[], options: SimOptions): Promise<Simulation> {
  const clock = options.clock ?? realClock();
  const closers: (() => Promise<void>)[] = [];
  const engines: RunningSim[] = [];
  try {
    for (const spec of specs) {
      const base = isProfileName(spec.profile) ? PROFILES[spec.profile] : PROFILES[spec.kind];
      const profile = options.overrides ? withOverrides(base, options.overrides) : base;
      const model = options.model ?? DEFAULT_MODELS[spec.kind];
      // Each engine gets its own streams of randomness, so adding an engine changes no other's timings.
      const seed = (options.seed ^ seedFromText(spec.label)) >>> 0;
      let scheduler: ReturnType<typeof createScheduler> | undefined;
      const metrics = createEngineMetrics(spec.kind, { model, profile, scheduler: () => scheduler!.snapshot() });
      scheduler = createScheduler(profile, { clock, rng: createRng(seed), ...(metrics ? { observer: metrics.observer } : {}) });
      const faultConfig = { ...options.faults?.['*'], ...options.faults?.[spec.label] };
      const engine = await startSimEngine({
        kind: spec.kind,
        port: spec.port,
        host: options.host ?? '127.0.0.1',
        model,
        seed,
        scheduler,
        profile,
        clock,
        metrics,
        label: spec.label,
        ...(hasFaults(faultConfig) ? { faults: createFaultInjector(faultConfig, createRng(seed ^ 0x9e3779b9)) } : {}),
        ...(options.trace ? { trace: options.trace } : {}),
      });
      const owned = scheduler;
      closers.push(async () => {
        await engine.close();
        owned.close();
      });
      engines.push({ label: spec.label, kind: spec.kind, url: engine.url, profile: profile.name, model });
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  return {
    engines,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
      await options.trace?.close();
    },
  };
}
