// How every measured request is built for one engine: the adapter's call for the run's settings,
// a request id the engine's logs and the simulator's ground truth can name, and a fresh decoder.
import type { CollectPlan } from '../config/load.ts';
import type { ChatMessage, GenerationRequest, HttpCall, StreamDecoder } from '../engines/engine.ts';
import type { EngineSession } from './preflight.ts';

export interface EngineCall {
  call: HttpCall;
  headers: Record<string, string>;
  decoder: StreamDecoder;
}

export function engineCall(
  session: EngineSession,
  settings: Pick<CollectPlan, 'maxTokens' | 'temperature' | 'seed' | 'forceOutputLength'>,
  messages: ChatMessage[],
  stream: boolean,
  requestId: string,
): EngineCall {
  const { adapter, api } = session.plan;
  const request: GenerationRequest = {
    model: session.plan.model,
    messages,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
    seed: settings.seed,
    forceOutputLength: settings.forceOutputLength && adapter.canForceOutputLength,
    stream,
  };
  return {
    call: adapter.buildRequest(api, request),
    headers: { ...session.plan.headers, 'x-request-id': requestId },
    decoder: adapter.createDecoder(api, stream),
  };
}
