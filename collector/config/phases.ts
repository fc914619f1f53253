// Which load phases a collection runs: flags for the common shapes, else the file's phases or
// sweep, else one closed-loop phase. Every problem is reported, nothing is sent before.
import type { LoadSpec, PhaseBounds, PhasePlan, Warmup } from '../load/types.ts';
import { sweepPhases } from '../load/sweep.ts';
import { DEFAULTS, MAX_WAIT_S, type ConfigFile } from './schema.ts';

export interface LoadFlags {
  concurrency?: string;
  rate?: string;
  arrival?: string;
  maxInFlight?: string;
  duration?: string;
  requests?: string;
  warmup?: string;
  thinkTime?: string;
  sweep?: string;
}

export interface AutoSweep {
  steps: number;
  arrival: 'constant' | 'poisson';
  maxInFlight?: number;
}

export interface ResolvedPhases {
  phases: PhasePlan[];
  bounds: PhaseBounds;
  /** Set for `sweep: auto`: the calibration phases run first, then the rates derived from them. */
  autoSweep: AutoSweep | null;
}

export function resolvePhases(file: ConfigFile, flags: LoadFlags, problems: string[]): ResolvedPhases {
  const list = (flag: string, text: string | undefined, integer: boolean): number[] | undefined => {
    if (text === undefined) return undefined;
    const values = text.split(',').map((part) => Number(part.trim()));
    if (values.some((v) => !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))) {
      problems.push(`--${flag} must be ${integer ? 'whole numbers' : 'numbers'} > 0, comma-separated, got "${text}"`);
      return undefined;
    }
    return values;
  };
  const one = (flag: string, text: string | undefined, integer: boolean, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      problems.push(`--${flag} must be a ${integer ? 'whole number' : 'number'} ${range}, got "${text}"`);
      return undefined;
    }
    return value;
  };
  const concurrency = list('concurrency', flags.concurrency, true);
  const rates = list('rate', flags.rate, false);
  const maxInFlight = one('max-in-flight', flags.maxInFlight, true) ?? undefined;
  const durationS = one('duration', flags.duration, false, 0.001, MAX_WAIT_S) ?? file.durationS;
  const requestsFlag = one('requests', flags.requests, true);
  // 0 is the default: no warm-up, and it overrides a config file's.
  const warmupFlag = one('warmup', flags.warmup, true, 0);
  const thinkTimeMs = one('think-time', flags.thinkTime, false, 0, MAX_WAIT_S * 1000);
  if (flags.arrival !== undefined && flags.arrival !== 'constant' && flags.arrival !== 'poisson') {
    problems.push(`--arrival must be constant or poisson, got "${flags.arrival}"`);
  }
  if (flags.sweep !== undefined && flags.sweep !== 'auto') problems.push(`--sweep takes "auto", got "${flags.sweep}"`);
  if (concurrency && rates) problems.push('give --concurrency (closed loop) or --rate (open loop), not both');
  const arrival = flags.arrival === 'constant' ? 'constant' : 'poisson';

  // A phase ends after `requests` or `durationS`; with neither given anywhere, after the default count.
  const requests = requestsFlag ?? file.requests ?? (durationS === undefined ? DEFAULTS.requests : undefined);
  const bounds: PhaseBounds = { ...(requests !== undefined ? { requests } : {}), ...(durationS !== undefined ? { durationS } : {}) };
  const warmup: Warmup | undefined = warmupFlag !== undefined ? (warmupFlag > 0 ? { requests: warmupFlag } : undefined) : file.warmup;

  if (flags.sweep === 'auto') {
    return { phases: [], bounds, autoSweep: { steps: 5, arrival, ...(maxInFlight ? { maxInFlight } : {}) } };
  }
  if (rates) {
    return { phases: sweepPhases({ rate: rates, arrival, ...(maxInFlight ? { maxInFlight } : {}), bounds, ...(warmup ? { warmup } : {}) }), bounds, autoSweep: null };
  }
  if (concurrency) {
    return { phases: withThinkTime(sweepPhases({ concurrency, bounds, ...(warmup ? { warmup } : {}) }), thinkTimeMs), bounds, autoSweep: null };
  }
  if (file.phases) {
    return {
      phases: file.phases.map((p) => ({
        name: p.name,
        load: p.load as LoadSpec,
        bounds: { ...(p.requests !== undefined ? { requests: p.requests } : {}), ...(p.durationS !== undefined ? { durationS: p.durationS } : {}) },
        ...(p.warmup ? { warmup: p.warmup } : {}),
      })),
      bounds,
      autoSweep: null,
    };
  }
  const sweep = file.sweep;
  if (sweep && 'auto' in sweep) {
    return { phases: [], bounds, autoSweep: { steps: sweep.auto.steps ?? 5, arrival: sweep.auto.arrival ?? 'poisson', ...(sweep.auto.maxInFlight ? { maxInFlight: sweep.auto.maxInFlight } : {}) } };
  }
  if (sweep && 'rate' in sweep) {
    return {
      phases: sweepPhases({ rate: sweep.rate, arrival: sweep.arrival ?? 'poisson', ...(sweep.maxInFlight ? { maxInFlight: sweep.maxInFlight } : {}), bounds, ...(warmup ? { warmup } : {}) }),
      bounds,
      autoSweep: null,
    };
  }
  const levels = sweep && 'concurrency' in sweep ? sweep.concurrency : [file.concurrency ?? DEFAULTS.concurrency].flat();
  return { phases: withThinkTime(sweepPhases({ concurrency: levels, bounds, ...(warmup ? { warmup } : {}) }), thinkTimeMs), bounds, autoSweep: null };
}

function withThinkTime(phases: PhasePlan[], thinkTimeMs: number | undefined): PhasePlan[] {
  if (thinkTimeMs === undefined) return phases;
  return phases.map((p) => (p.load.shape === 'closed-loop' ? { ...p, load: { ...p.load, thinkTimeMs } } : p));
}
