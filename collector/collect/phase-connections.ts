// The connections one phase's requests go out on, held as its users would hold them. Each phase
// gets a pool of its own, sized to what it can have in flight (one connection per user in a closed
// loop, the in-flight cap in an open loop), opened before its clock starts and closed after it.
// The engine session's own pool keeps health checks, info calls and /metrics scrapes, so a scrape
// never takes a user's connection nor opens one beside them.
import type { Agent } from 'undici';
import type { EnginePlan } from '../config/load.ts';
import { createDispatcher } from '../http/dispatcher.ts';
import { makeFetcher } from '../http/fetch-text.ts';
import { transportFailure } from '../http/stream-request.ts';

export interface ConnectionPlan {
  /** Connections the pool may hold at once. */
  cap: number;
  /** Connections to open before the phase starts (0: none, every request opens what it needs). */
  warm: number;
  /** Every request opens its own connection and closes it (--cold-connections). */
  cold: boolean;
}

/**
 * Closed loops warm one connection per user, as a user of a warm service holds one. Open loops do
 * not: how many connections the arrivals need depends on the engine's speed, and a connection is
 * what a new client pays, so those requests say they opened one. Cold phases warm nothing.
 */
export function connectionPlan(inFlight: { cap: number; users: boolean }, cold: boolean): ConnectionPlan {
  return { cap: inFlight.cap, warm: cold || !inFlight.users ? 0 : inFlight.cap, cold };
}

export interface PhaseConnections {
  dispatcher: Agent;
  /** Connections open when the phase starts. */
  warmed: number;
  /** Why fewer than planned were open, for the run's warnings; null when all were. */
  problem: string | null;
  close(): Promise<void>;
}

/**
 * Opens the phase's pool and, when the plan says so, its connections: `warm` concurrent GETs of the
 * engine's health path (not measured, not recorded) force that many sockets open, and undici's
 * pool then keeps them alive for the phase's requests.
 */
export async function openPhaseConnections(
  engine: Pick<EnginePlan, 'url' | 'headers' | 'tls' | 'adapter'>,
  plan: ConnectionPlan,
  connectTimeoutMs: number,
): Promise<PhaseConnections> {
  const dispatcher = createDispatcher(engine.tls, connectTimeoutMs, { connections: plan.cap });
  const close = () => dispatcher.close();
  if (plan.warm === 0) return { dispatcher, warmed: 0, problem: null, close };
  const fetcher = makeFetcher(dispatcher, engine.url, engine.headers, connectTimeoutMs);
  const health = engine.adapter.healthPath;
  const answers = await Promise.allSettled(Array.from({ length: plan.warm }, () => fetcher({ method: 'GET', path: health })));
  const warmed = Math.min(plan.warm, Number(dispatcher.stats[engine.url.origin]?.connected ?? 0));
  if (warmed >= plan.warm) return { dispatcher, warmed, problem: null, close };
  const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  const why = failed ? transportFailure(failed.reason as Error, false, null).message : 'the engine closed connections after answering';
  return {
    dispatcher,
    warmed,
    problem: `${warmed} of ${plan.warm} connections were open before the phase (GET ${health}: ${why}); requests that opened the others say so (newConnection) and their TTFT includes the handshake`,
    close,
  };
}
