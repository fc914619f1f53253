// The collect configuration: one zod schema for the YAML file, one DEFAULTS object.
// Flags override the file; everything is validated once, here, before any request is sent.
import { z } from 'zod';
import { OBJECTIVE_FORMS, parseObjective } from '../metrics/slo/parse.ts';

const positiveInt = z.number().int().positive();

/**
 * The longest wait a Node timer can take (2^31 − 1 ms, about 24.8 days): a longer one fires after
 * 1 ms, so a 30-day timeout would time every request out at once. Every duration is bounded by it.
 */
export const MAX_WAIT_S = 2_147_483;
const seconds = z.number().positive().max(MAX_WAIT_S);

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

const rate = z.number().positive();
const maxInFlight = positiveInt.optional();

/** Load shapes, named as in collector/load/types.ts and in run files. */
export const LoadSpecSchema = z.discriminatedUnion('shape', [
  z.strictObject({ shape: z.literal('sequential') }),
  z.strictObject({
    shape: z.literal('closed-loop'),
    concurrency: positiveInt,
    thinkTimeMs: z.number().nonnegative().max(MAX_WAIT_S * 1000).optional(),
    rampUpS: z.number().nonnegative().max(MAX_WAIT_S).optional(),
  }),
  z.strictObject({ shape: z.literal('constant-rate'), rate, maxInFlight }),
  z.strictObject({ shape: z.literal('poisson'), rate, maxInFlight }),
  z.strictObject({
    shape: z.literal('ramp'),
    of: z.enum(['rate', 'users']),
    from: z.number().nonnegative(),
    to: z.number().positive(),
    maxInFlight,
  }),
]);

export const WarmupSchema = z.strictObject({ requests: positiveInt.optional(), seconds: seconds.optional() });

export const PhaseConfig = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore'),
    load: LoadSpecSchema,
    requests: positiveInt.optional(),
    durationS: seconds.optional(),
    warmup: WarmupSchema.optional(),
  })
  .refine((p) => p.requests !== undefined || p.durationS !== undefined, {
    message: 'a phase needs requests or durationS (or both) to know when to end',
    path: ['requests'],
  });

export const SweepConfig = z.union([
  z.strictObject({ concurrency: z.array(positiveInt).min(1) }),
  z.strictObject({ rate: z.array(rate).min(1), arrival: z.enum(['constant', 'poisson']).optional(), maxInFlight }),
  z.strictObject({ auto: z.strictObject({ steps: z.number().int().min(2).max(20).optional(), arrival: z.enum(['constant', 'poisson']).optional(), maxInFlight }) }),
]);

export const SyntheticLengthConfig = z.union([
  z.enum(['short', 'medium', 'long']),
  z
    .strictObject({ mean: positiveInt, stdev: z.number().nonnegative(), min: positiveInt, max: positiveInt })
    .refine((d) => d.min <= d.mean && d.mean <= d.max, { message: 'needs min <= mean <= max' }),
]);

/** Beyond the built-in prompts: synthetic lengths, a shared prefix, multi-turn conversations. */
export const WorkloadConfig = z.strictObject({
  /** Synthetic prompts with target input lengths, calibrated with each engine's /tokenize. */
  synthetic: z.strictObject({ count: positiveInt.optional(), length: SyntheticLengthConfig }).optional(),
  /** A shared system prefix of about this many tokens on every prompt (exercises prefix caching). */
  sharedPrefixTokens: positiveInt.optional(),
  /** Multi-turn conversations (4 turns each, history carried): `all` or names. */
  conversations: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).optional(),
});

/** One objective as typed, e.g. `ttft:p95<200ms` (see metrics/slo/parse.ts). */
const ObjectiveText = z.string().superRefine((text, ctx) => {
  const parsed = parseObjective(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `not an objective: ${parsed}. Valid forms: ${OBJECTIVE_FORMS.join(' ')}` });
});

/** The object form of servebench before run format v4: TTFT and E2E p95 targets in ms, met at equality. */
export const SloTargets = z.strictObject({
  ttftP95Ms: z.number().positive().optional(),
  e2eP95Ms: z.number().positive().optional(),
});

/**
 * Service-level objectives every phase is judged against: a list of objectives, or the older
 * object form (converted to `ttft:p95<=…`, `e2e:p95<=…`). None unless set: there is no default.
 */
export const SloConfig = z.union([z.array(ObjectiveText).min(1), SloTargets]);

const positiveNumber = z.number().positive();
/** A number for every engine, or one per engine label. */
const perEngine = z.union([positiveNumber, z.record(z.string(), positiveNumber)]);

/**
 * The assumptions of a cost estimate, carried unchanged into the run (`scenario.roi`) for the
 * report to compute cost per 1M output tokens, GPU-hours and time saved from.
 */
export const RoiConfig = z.strictObject({
  /** ISO 4217 code or symbol the costs are in (default USD). */
  currency: z.string().min(1).max(8).optional(),
  /** Cost of one GPU for an hour. */
  gpuHourlyCost: perEngine,
  /** GPUs each engine runs on (default 1). */
  gpuCount: perEngine.optional(),
  monthlyOutputTokens: positiveNumber.optional(),
  usersPerDay: positiveNumber.optional(),
  interactionsPerUserPerDay: positiveNumber.optional(),
  /** Cost of one hour of a person's time, for the time people wait. */
  personHourCost: positiveNumber.optional(),
  workDaysPerYear: positiveNumber.max(366).optional(),
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
  /** Built-in prompt categories to use (default all): support, code-review, creative-writing, technical-explanation, business-analysis, summarisation, short-factual, reasoning. */
  categories: z.array(z.string().min(1)).min(1).optional(),
  /** A .txt file (one prompt per line) or .jsonl file ({"messages": [...]} or {"prompt": "..."} per line). */
  prompts: z.string().min(1).optional(),
  timeouts: Timeouts.optional(),
  /** Directory that holds runs. */
  out: z.string().min(1).optional(),
  failOnErrors: z.boolean().optional(),
  /** Exit 7 when any objective is missed (a CI gate); inconclusive verdicts do not fail. */
  failOnSlo: z.boolean().optional(),
  apiKeyEnv: z.string().min(1).optional(),
  apiKeyFile: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  caFile: z.string().min(1).optional(),
  /** Explicit load phases, run in order against each engine (overrides requests/concurrency). */
  phases: z.array(PhaseConfig).min(1).optional(),
  /** A sweep: one phase per concurrency or rate level, or `auto` (measure sequential and saturated first). */
  sweep: SweepConfig.optional(),
  /** Seconds per phase (with or instead of requests). */
  durationS: seconds.optional(),
  warmup: WarmupSchema.optional(),
  slo: SloConfig.optional(),
  roi: RoiConfig.optional(),
  workload: WorkloadConfig.optional(),
  /** Run every phase twice: streaming, then asking for whole answers. */
  compareStreaming: z.boolean().optional(),
  /**
   * Every request opens its own connection and closes it, so every TTFT includes the handshake
   * (a client that never keeps a connection). Default: one connection per user, opened before the
   * phase and reused.
   */
  coldConnections: z.boolean().optional(),
  /**
   * Answer text kept per request, in characters. At most 4 Mi: a record line must stay well under
   * the 64 MiB the reader accepts, even when every character is escaped in JSON.
   */
  textLimit: positiveInt.max(4 * 1024 * 1024).optional(),
  /** After Ctrl-C, seconds requests in flight may take to finish before they are cancelled. */
  graceS: z.number().nonnegative().max(MAX_WAIT_S).optional(),
});

export type EngineConfig = z.infer<typeof EngineConfig>;
export type PhaseConfig = z.infer<typeof PhaseConfig>;
export type SweepConfig = z.infer<typeof SweepConfig>;
export type ConfigFile = z.infer<typeof ConfigFile>;
export type RoiConfig = z.infer<typeof RoiConfig>;

export const DEFAULTS = {
  name: 'run',
  requests: 20,
  concurrency: 1,
  maxTokens: 128,
  temperature: 0,
  seed: 42,
  forceOutputLength: true,
  stream: true,
  coldConnections: false,
  timeouts: { connectS: 10, ttftS: 60, idleS: 30, totalS: 300 },
  out: 'runs',
  failOnErrors: false,
  failOnSlo: false,
  apiKeyEnv: 'SERVEBENCH_API_KEY',
  textLimit: 16_384,
  scrapeIntervalS: 1,
  graceS: 10,
  /** What the report assumes where a scenario's `roi:` says nothing; never written into the run. */
  roi: { currency: 'USD', gpuCount: 1, workDaysPerYear: 250 },
} as const;
