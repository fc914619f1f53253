// Seeded fault injection: each generation request draws, in arrival order, whether it fails and
// how. The same seed and the same arrival order give the same faults, so a failing run replays.
import { z } from 'zod';
import type { FaultInjector, RequestFaults, Rng, SimKind } from './types.ts';

const rate = z.number().min(0).max(1);

/** Per-engine fault rates (0..1 per request) and parameters. */
export const FaultConfig = z.strictObject({
  /** HTTP 500 with the engine's error body. */
  http500: rate.optional(),
  /** HTTP 503 with the engine's error body. */
  http503: rate.optional(),
  /** HTTP 429 with Retry-After once more than this many requests wait in the queue. */
  rateLimitQueueOver: z.number().int().nonnegative().optional(),
  retryAfterS: z.number().int().positive().optional(),
  /** Connection reset before any response header. */
  reset: rate.optional(),
  /** Stream cut mid-answer (socket destroyed after some tokens). */
  cut: rate.optional(),
  /** A pause of stallS seconds between two tokens. */
  stall: rate.optional(),
  stallS: z.number().positive().optional(),
  /** One chunk that is not valid JSON, then the stream ends. */
  malformed: rate.optional(),
  /** The engine's own mid-stream error event after some tokens. */
  errorEvent: rate.optional(),
  /** Response headers delayed by slowHeadersMs. */
  slowHeaders: rate.optional(),
  slowHeadersMs: z.number().positive().optional(),
});
export type FaultConfig = z.infer<typeof FaultConfig>;

export const FAULT_NAMES = Object.keys(FaultConfig.shape) as (keyof FaultConfig)[];

export function hasFaults(config: FaultConfig): boolean {
  return Object.values(config).some((v) => v !== undefined && v !== 0);
}

export function createFaultInjector(config: FaultConfig, rng: Rng): FaultInjector {
  return {
    plan({ queueDepth, outputTokens }: { kind: SimKind; queueDepth: number; outputTokens: number }): RequestFaults {
      // Draw every number every time, so one rate's change does not shift the others' sequence.
      const preHeader = rng.next();
      const slow = rng.next();
      const mid = rng.next();
      const where = rng.next();
      const faults: RequestFaults = {};
      if (config.slowHeaders && slow < config.slowHeaders) faults.headerDelayMs = config.slowHeadersMs ?? 500;
      if (config.rateLimitQueueOver !== undefined && queueDepth > config.rateLimitQueueOver) {
        faults.beforeHeaders = { kind: 'http', status: 429, retryAfterS: config.retryAfterS ?? 1 };
        return faults;
      }
      let edge = 0;
      for (const [name, outcome] of [
        ['http500', { kind: 'http', status: 500 }],
        ['http503', { kind: 'http', status: 503 }],
        ['reset', { kind: 'reset' }],
      ] as const) {
        edge += config[name] ?? 0;
        if (preHeader < edge) {
          faults.beforeHeaders = outcome;
          return faults;
        }
      }
      // Mid-stream faults strike after at least one token, so there is partial text to keep.
      const atToken = Math.max(1, Math.min(outputTokens - 1, Math.floor(where * outputTokens)));
      edge = 0;
      for (const [name, kind] of [
        ['cut', 'cut'],
        ['stall', 'stall'],
        ['malformed', 'malformed'],
        ['errorEvent', 'error-event'],
      ] as const) {
        edge += config[name] ?? 0;
        if (mid < edge) {
          faults.midStream = { atToken, kind, ...(kind === 'stall' ? { stallMs: (config.stallS ?? 2) * 1000 } : {}) };
          break;
        }
      }
      return faults;
    },
  };
}

/** Parses `name=value` flags into a FaultConfig; returns problems instead of throwing. */
export function parseFaultFlags(flags: string[]): { config: FaultConfig; problems: string[] } {
  const raw: Record<string, number> = {};
  const problems: string[] = [];
  for (const flag of flags) {
    const match = /^([A-Za-z0-9]+)=([0-9.]+)$/.exec(flag.trim());
    if (!match) {
      problems.push(`--fault "${flag}" is not NAME=NUMBER (names: ${FAULT_NAMES.join(', ')})`);
      continue;
    }
    raw[match[1]!] = Number(match[2]);
  }
  const parsed = FaultConfig.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      problems.push(`--fault ${key}: ${issue.message} (names: ${FAULT_NAMES.join(', ')})`);
    }
    return { config: {}, problems };
  }
  return { config: parsed.data, problems };
}
