// Contracts of the load shapes. A shape decides WHEN requests are sent; the driver sends and
// records them. Names are the ones users type in flags and YAML and read in run files.
import type { Rng } from '../sim/types.ts';

export type LoadSpec =
  /** One request in flight at a time. */
  | { shape: 'sequential' }
  /** `concurrency` users, each sending its next request when its last ended (plus think time); users start evenly over rampUpS. */
  | { shape: 'closed-loop'; concurrency: number; thinkTimeMs?: number; rampUpS?: number }
  /** Arrivals every 1/rate s on the clock, never after completions; sends beyond maxInFlight are dropped. */
  | { shape: 'constant-rate'; rate: number; maxInFlight?: number }
  /** Arrivals with exponential gaps of mean 1/rate s (seeded). */
  | { shape: 'poisson'; rate: number; maxInFlight?: number }
  /** Rate (open loop) or users (closed loop) rising linearly from `from` to `to` over the phase's durationS. */
  | { shape: 'ramp'; of: 'rate' | 'users'; from: number; to: number; maxInFlight?: number };

export type ShapeName = LoadSpec['shape'];

/** When a phase ends: after `requests` sends, after `durationS` seconds, whichever comes first (at least one is set). */
export interface PhaseBounds {
  requests?: number;
  durationS?: number;
}

/** Requests at the start of a phase that are sent and recorded but excluded from its summary. */
export interface Warmup {
  requests?: number;
  seconds?: number;
}

export interface PhasePlan {
  name: string;
  load: LoadSpec;
  bounds: PhaseBounds;
  warmup?: Warmup;
  /** Overrides the run's streaming setting for this phase (the streaming vs non-streaming comparison). */
  stream?: boolean;
}

export interface LoadDriver {
  /** Monotonic ms. */
  now(): number;
  /** Resolves after ms, or at once when the signal aborts. */
  sleep(ms: number): Promise<void>;
  /** Aborted: schedule nothing more; the shape returns once its in-flight sends resolve. */
  signal: AbortSignal;
  rng: Rng;
  /**
   * Sends request `seq` (0-based, in scheduling order), which was due at `scheduledAt`, and resolves
   * when it has been recorded. `warmup` marks it as excluded from the summary.
   */
  send(seq: number, scheduledAt: number, warmup: boolean): Promise<void>;
}

export interface PhaseOutcome {
  /** Requests sent (warm-up included). */
  sent: number;
  /** Arrivals that could not be sent because maxInFlight requests were already in flight. */
  dropped: number;
}

export type LoadShape = (plan: PhasePlan, driver: LoadDriver) => Promise<PhaseOutcome>;
