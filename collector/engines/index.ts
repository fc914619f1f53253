// The engine adapters, keyed by the names users type.
import type { EngineAdapter } from './engine.ts';
import { llamacpp } from './llamacpp.ts';
import { ollama } from './ollama.ts';
import { openai } from './openai.ts';
import { tgi } from './tgi.ts';
import { vllm } from './vllm.ts';

export const ENGINES = { vllm, tgi, ollama, llamacpp, openai } as const satisfies Record<string, EngineAdapter>;

export type EngineKind = keyof typeof ENGINES;

export const ENGINE_KINDS = Object.keys(ENGINES) as EngineKind[];

export function findEngine(kind: string): EngineAdapter | undefined {
  return Object.hasOwn(ENGINES, kind) ? ENGINES[kind as EngineKind] : undefined;
}
