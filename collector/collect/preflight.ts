// Before any measured request: every engine must answer its health check, and says what it is.
import type { Agent } from 'undici';
import type { EngineInfo, Fetcher } from '../engines/engine.ts';
import { ServebenchError } from '../errors.ts';
import type { EnginePlan } from '../config/load.ts';
import { createDispatcher } from '../http/dispatcher.ts';
import { makeFetcher } from '../http/fetch-text.ts';
import { transportFailure } from '../http/stream-request.ts';

export interface EngineSession {
  plan: EnginePlan;
  dispatcher: Agent;
  fetcher: Fetcher;
  info: EngineInfo;
}

export interface HealthResult {
  ok: boolean;
  /** Why not, in one sentence a user can act on. */
  problem?: string;
  status?: number;
}

export async function checkHealth(plan: EnginePlan, fetcher: Fetcher): Promise<HealthResult> {
  try {
    const { status, body } = await fetcher({ method: 'GET', path: plan.adapter.healthPath });
    if (status >= 200 && status < 300) return { ok: true, status };
    const info = plan.adapter.classifyHttpError(status, body);
    return { ok: false, status, problem: `health check ${plan.adapter.healthPath} answered HTTP ${status}: ${info.message}` };
  } catch (error) {
    const failure = transportFailure(error as Error, false, null);
    const reason =
      failure.kind === 'connection_refused'
        ? 'connection refused (nothing listens on that port)'
        : (error as Error).name === 'TimeoutError'
          ? 'no answer in time'
          : failure.message;
    return { ok: false, problem: `health check ${plan.adapter.healthPath} failed: ${reason}` };
  }
}

/** Opens a connection pool per engine, checks health, and asks each engine about itself. */
export async function openEngines(plans: EnginePlan[], connectTimeoutMs: number): Promise<EngineSession[]> {
  const sessions = plans.map((plan) => {
    const dispatcher = createDispatcher(plan.tls, connectTimeoutMs);
    return { plan, dispatcher, fetcher: makeFetcher(dispatcher, plan.url, plan.headers, connectTimeoutMs) };
  });
  const health = await Promise.all(sessions.map((s) => checkHealth(s.plan, s.fetcher)));
  const down = health.flatMap((result, i) => (result.ok ? [] : [`${sessions[i]!.plan.label} at ${sessions[i]!.plan.publicUrl}: ${result.problem}`]));
  if (down.length > 0) {
    await Promise.all(sessions.map((s) => s.dispatcher.close()));
    const auth = health.some((r) => r.status === 401 || r.status === 403);
    throw new ServebenchError(
      'ENGINE_UNREACHABLE',
      `${down.length === 1 ? 'an engine is' : `${down.length} engines are`} not ready, so nothing was measured:\n  - ${down.join('\n  - ')}`,
      auth
        ? 'the engine refused the credentials: set SERVEBENCH_API_KEY, --api-key-env or --api-key-file'
        : 'start the engine (or `servebench sim` for a simulated one), check the URL and port, and use --insecure or --ca-file for private TLS',
    );
  }
  return Promise.all(
    sessions.map(async (s) => ({ ...s, info: await s.plan.adapter.describe(s.fetcher, s.plan.model) })),
  );
}

export async function closeEngines(sessions: EngineSession[]): Promise<void> {
  await Promise.all(sessions.map((s) => s.dispatcher.close()));
}
