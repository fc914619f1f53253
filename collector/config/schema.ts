// The collect configuration: one zod schema for the YAML file, one DEFAULTS object.
// Flags override the file; everything is validated once, here, before any request is sent.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const seconds = z.number().positive();

export const EngineConfig = z.strictObject({
  /** Adapter name: vllm, tgi, ollama, llamacpp, openai. */
  kind: z.string().min(1),
  url: z.string().min(1),
  /** Shown in reports; defaults to the kind (kind-2, kind-3 … when repeated). */
  label: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore, at most 64')
    .optional(),
  model: z.string().min(1).optional(),
  api: z.string().min(1).optional(),
  /** Name of the env var holding this engine's bearer token. */
  apiKeyEnv: z.string().min(1).optional(),
  /** File holding this engine's bearer token. */
  apiKeyFile: z.string().min(1).optional(),
  /** Extra request headers. Values are sent, never stored; prefer headersFromEnv for secrets. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Header name → env var holding its value. */
  headersFromEnv: z.record(z.string(), z.string()).optional(),
  insecure: z.boolean().optional(),
  caFile: z.string().min(1).optional(),
});

export const Timeouts = z.strictObject({
  connectS: seconds.optional(),
  ttftS: seconds.optional(),
  idleS: seconds.optional(),
  totalS: seconds.optional(),
});

export const ConfigFile = z.strictObject({
  name: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  engines: z.array(EngineConfig).min(1).optional(),
  requests: positiveInt.optional(),
  /** Requests in flight; a list runs one phase per level (a sweep). */
  concurrency: z.union([positiveInt, z.array(positiveInt).min(1)]).optional(),
  maxTokens: positiveInt.optional(),
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().nonnegative().optional(),
  /** Ask engines that can (vLLM, llama.cpp) to generate exactly maxTokens. */
  forceOutputLength: z.boolean().optional(),
  stream: z.boolean().optional(),
  prompt: z.string().min(1).optional(),
  /** A .txt file (one prompt per line) or .jsonl file ({"messages": [...]} or {"prompt": "..."} per line). */
  prompts: z.string().min(1).optional(),
  timeouts: Timeouts.optional(),
  /** Directory that holds runs. */
  out: z.string().min(1).optional(),
  failOnErrors: z.boolean().optional(),
  apiKeyEnv: z.string().min(1).optional(),
  apiKeyFile: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  caFile: z.string().min(1).optional(),
  /** Answer text kept per request, in characters. */
  textLimit: positiveInt.optional(),
  /** After Ctrl-C, seconds requests in flight may take to finish before they are cancelled. */
  graceS: z.number().nonnegative().optional(),
});

export type EngineConfig = z.infer<typeof EngineConfig>;
export type ConfigFile = z.infer<typeof ConfigFile>;

export const DEFAULTS = {
  name: 'run',
  requests: 20,
  concurrency: 1,
  maxTokens: 128,
  temperature: 0,
  seed: 42,
  forceOutputLength: true,
  stream: true,
  timeouts: { connectS: 10, ttftS: 60, idleS: 30, totalS: 300 },
  out: 'runs',
  failOnErrors: false,
  apiKeyEnv: 'SERVEBENCH_API_KEY',
  textLimit: 16_384,
  graceS: 10,
} as const;
