// Resolves flags > env > config file > DEFAULTS into one validated plan, before anything is sent.
// Every problem found is reported at once.
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument, YAMLError } from 'yaml';
import type { EngineAdapter } from '../engines/engine.ts';
import { ENGINE_KINDS, findEngine } from '../engines/index.ts';
import { ServebenchError } from '../errors.ts';
import { formatIssues } from '../format-issues.ts';
import { parseEngineUrl, publicUrl } from '../http/url.ts';
import { builtinPrompts, promptFromText, readPromptFile, type Prompt } from '../load/prompts.ts';
import type { PhaseBounds, PhasePlan } from '../load/types.ts';
import { SCENARIOS_DIR, PRESETS } from '../commands/scenario.ts';
import { resolvePhases, type AutoSweep, type LoadFlags } from './phases.ts';
import { resolveWorkload, type WorkloadPlan } from './workload.ts';
import { ConfigFile, DEFAULTS, MAX_WAIT_S, type EngineConfig } from './schema.ts';
import { headersFromEnv, resolveApiKey } from './secrets.ts';
import { checkRoi } from './roi.ts';
import { resolveSlo } from './slo.ts';
import type { Slo } from '../store/schema/index.ts';

/** Flags exactly as typed (only those given on the command line). */
export interface CollectFlags extends LoadFlags {
  preset?: string;
  scrapeInterval?: string;
  categories?: string;
  synthetic?: string;
  sharedPrefix?: string;
  conversations?: string;
  compareStreaming?: boolean;
  coldConnections?: boolean;
  engine?: string[];
  model?: string;
  maxTokens?: string;
  temperature?: string;
  seed?: string;
  prompt?: string;
  prompts?: string;
  name?: string;
  out?: string;
  config?: string;
  apiKeyEnv?: string;
  apiKeyFile?: string;
  insecure?: boolean;
  caFile?: string;
  naturalLength?: boolean;
  stream?: boolean;
  ttftTimeout?: string;
  idleTimeout?: string;
  timeout?: string;
  failOnErrors?: boolean;
  failOnSlo?: boolean;
  grace?: string;
  /** Objectives as typed, e.g. ttft:p95<200ms; they replace the scenario's `slo:` list. */
  slo?: string[];
}

export interface EnginePlan {
  label: string;
  kind: string;
  adapter: EngineAdapter;
  api: string;
  url: URL;
  publicUrl: string;
  model: string;
  headers: Record<string, string>;
  headerNames: string[];
  tls: { insecure: boolean; caFile?: string };
}

export interface CollectPlan {
  name: string;
  outDir: string;
  failOnErrors: boolean;
  /** Exit SLO_MISSED (7) when any objective is missed. */
  failOnSlo: boolean;
  engines: EnginePlan[];
  prompts: Prompt[];
  /** Load phases, run in order against each engine. */
  phases: PhasePlan[];
  /** `sweep: auto`: calibration phases first, then rates between the measured throughputs. */
  autoSweep: AutoSweep | null;
  /** Default bounds (used by the auto sweep's phases). */
  bounds: PhaseBounds;
  /** How often engine /metrics are scraped while a phase runs. */
  scrapeIntervalMs: number;
  /** The objectives every phase is judged against; null: no SLO set. */
  slo: Slo | null;
  /** Prompts made per engine (synthetic lengths, shared prefix) and multi-turn conversations. */
  workload: WorkloadPlan;
  maxTokens: number;
  temperature: number;
  seed: number;
  forceOutputLength: boolean;
  stream: boolean;
  /** Every request on a new connection of its own (--cold-connections), none kept between requests. */
  coldConnections: boolean;
  timeouts: { connectMs: number; ttftMs: number; idleMs: number; totalMs: number };
  textLimit: number;
  /** After Ctrl-C, how long requests in flight may finish before they are cancelled. */
  graceMs: number;
  /** Every secret value resolved, so outputs can be redacted. */
  secrets: string[];
  /** The resolved scenario as recorded in the run (no secrets). */
  scenario: Record<string, unknown> & { seed: number };
}

export async function loadCollectPlan(
  flags: CollectFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: { requireModel: boolean } = { requireModel: true },
): Promise<CollectPlan> {
  if (flags.preset !== undefined && !(PRESETS as readonly string[]).includes(flags.preset)) {
    throw new ServebenchError('BAD_FLAG', `--preset "${flags.preset}" is not a preset: ${PRESETS.join(', ')}`, `pick one, or copy ${SCENARIOS_DIR}${PRESETS[0]}.yaml and pass it with --config`);
  }
  if (flags.preset !== undefined && flags.config !== undefined) {
    throw new ServebenchError('BAD_FLAG', 'give --config or --preset, not both', 'a preset is just a config file: copy it and edit it');
  }
  const configPath = flags.preset ? `${SCENARIOS_DIR}${flags.preset}.yaml` : flags.config ? resolve(cwd, flags.config) : undefined;
  const file = configPath ? await readConfigFile(configPath) : {};
  const fileDir = configPath ? dirname(configPath) : cwd;
  return resolveCollectPlan(file, fileDir, flags, env, cwd, options);
}

/** Resolves an already-parsed config (paths in it relative to fileDir) with flags on top. */
export async function resolveCollectPlan(
  file: ConfigFile,
  fileDir: string,
  flags: CollectFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: { requireModel: boolean } = { requireModel: true },
): Promise<CollectPlan> {
  const problems: string[] = [];
  const fromFile = (path: string | undefined): string | undefined => (path ? resolve(fileDir, path) : undefined);

  const int = (flag: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`--${flag} must be a whole number >= ${min}, got "${text}"`);
      return undefined;
    }
    return value;
  };
  const intList = (flag: string, text: string | undefined, min: number): number[] | undefined => {
    if (text === undefined) return undefined;
    const values = text.split(',').map((part) => int(flag, part.trim(), min));
    return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
  };
  const num = (flag: string, text: string | undefined, min: number, max = Infinity): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || text.trim() === '') {
      problems.push(`--${flag} must be a number between ${min} and ${max}, got "${text}"`);
      return undefined;
    }
    return value;
  };

  const resolved = resolvePhases(file, flags, problems);
  const { autoSweep, bounds } = resolved;
  const compareStreaming = flags.compareStreaming ?? file.compareStreaming ?? false;
  // The comparison runs each phase twice: streamed, then whole answers.
  const phases = compareStreaming
    ? resolved.phases.flatMap((p) => [
        { ...p, name: `${p.name}-stream`, stream: true },
        { ...p, name: `${p.name}-whole`, stream: false },
      ])
    : resolved.phases;
  const workloadPlan = resolveWorkload(file, flags, phases, problems);
  const scrapeIntervalMs = (num('scrape-interval', flags.scrapeInterval, 0.05, MAX_WAIT_S) ?? DEFAULTS.scrapeIntervalS) * 1000;
  const maxTokens = int('max-tokens', flags.maxTokens, 1) ?? file.maxTokens ?? DEFAULTS.maxTokens;
  const temperature = num('temperature', flags.temperature, 0, 2) ?? file.temperature ?? DEFAULTS.temperature;
  const seed = int('seed', flags.seed, 0) ?? file.seed ?? DEFAULTS.seed;
  const graceS = num('grace', flags.grace, 0, MAX_WAIT_S) ?? file.graceS ?? DEFAULTS.graceS;
  const categories = flags.categories !== undefined ? flags.categories.split(',').map((c) => c.trim()) : file.categories;
  const timeoutsFile = file.timeouts ?? {};
  const timeouts = {
    connectMs: (timeoutsFile.connectS ?? DEFAULTS.timeouts.connectS) * 1000,
    ttftMs: (num('ttft-timeout', flags.ttftTimeout, 0.001, MAX_WAIT_S) ?? timeoutsFile.ttftS ?? DEFAULTS.timeouts.ttftS) * 1000,
    idleMs: (num('idle-timeout', flags.idleTimeout, 0.001, MAX_WAIT_S) ?? timeoutsFile.idleS ?? DEFAULTS.timeouts.idleS) * 1000,
    totalMs: (num('timeout', flags.timeout, 0.001, MAX_WAIT_S) ?? timeoutsFile.totalS ?? DEFAULTS.timeouts.totalS) * 1000,
  };
  const model = flags.model ?? file.model ?? (options.requireModel ? undefined : '');
  const secrets: string[] = [];

  const engineConfigs: EngineConfig[] = [];
  for (const spec of flags.engine ?? []) {
    const parsed = parseEngineFlag(spec);
    if (typeof parsed === 'string') problems.push(parsed);
    else engineConfigs.push(parsed);
  }
  if (engineConfigs.length === 0) {
    for (const engine of file.engines ?? []) {
      engineConfigs.push({
        ...engine,
        ...(engine.apiKeyFile ? { apiKeyFile: fromFile(engine.apiKeyFile) } : {}),
        ...(engine.caFile ? { caFile: fromFile(engine.caFile) } : {}),
      });
    }
  }
  if (engineConfigs.length === 0) {
    problems.push('no engine to measure: give --engine KIND=URL (repeatable) or `engines:` in the config file');
  }

  const labels = new Map<string, number>();
  const engines: EnginePlan[] = [];
  for (const config of engineConfigs) {
    const plan = resolveEngine(config, {
      model,
      labels,
      problems,
      env,
      secrets,
      insecure: flags.insecure ?? file.insecure ?? false,
      caFile: flags.caFile ? resolve(cwd, flags.caFile) : fromFile(file.caFile),
      apiKeyEnv: flags.apiKeyEnv ?? file.apiKeyEnv,
      apiKeyFile: flags.apiKeyFile ? resolve(cwd, flags.apiKeyFile) : fromFile(file.apiKeyFile),
    });
    if (plan) engines.push(plan);
  }

  let prompts: Prompt[] = [];
  try {
    const promptText = flags.prompt ?? (flags.prompts ? undefined : file.prompt);
    const promptFile = flags.prompts ? resolve(cwd, flags.prompts) : flags.prompt ? undefined : fromFile(file.prompts);
    if (promptText !== undefined) prompts = [promptFromText(promptText)];
    else if (promptFile) prompts = await readPromptFile(promptFile);
    else prompts = builtinPrompts(seed, categories);
  } catch (error) {
    if (error instanceof ServebenchError) problems.push(error.message);
    else throw error;
  }
  if (flags.prompt !== undefined && flags.prompts !== undefined) problems.push('give --prompt or --prompts, not both');
  const slo = resolveSlo(file.slo, flags, problems);
  const failOnSlo = flags.failOnSlo ?? file.failOnSlo ?? DEFAULTS.failOnSlo;
  if (failOnSlo && slo === null && !problems.some((p) => p.includes('--slo'))) {
    problems.push('--fail-on-slo (failOnSlo) has no objective to fail on: give --slo, e.g. --slo ttft:p95<200ms, or slo: in the scenario');
  }
  checkRoi(file.roi, engines.map((e) => e.label), problems);

  if (problems.length > 0) {
    throw new ServebenchError(
      'BAD_CONFIG',
      `the collect configuration has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n  - ${problems.join('\n  - ')}`,
      'fix the flags or the config file; `servebench collect --help` lists every option',
    );
  }

  const name = flags.name ?? file.name ?? DEFAULTS.name;
  const forceOutputLength = flags.naturalLength ? false : (file.forceOutputLength ?? DEFAULTS.forceOutputLength);
  const stream = flags.stream ?? file.stream ?? DEFAULTS.stream;
  const coldConnections = flags.coldConnections ?? file.coldConnections ?? DEFAULTS.coldConnections;
  const workload = { maxTokens, temperature, seed, forceOutputLength, stream };
  // The objectives are the run's own field (Run.slo), not the scenario's: they judge the
  // measurement without changing it, so runs that differ only in them stay comparable.
  const scenario = {
    name,
    model: model ?? null,
    ...workload,
    ...(file.roi ? { roi: file.roi } : {}),
    timeouts: {
      connectS: timeouts.connectMs / 1000,
      ttftS: timeouts.ttftMs / 1000,
      idleS: timeouts.idleMs / 1000,
      totalS: timeouts.totalMs / 1000,
    },
    phases,
    ...(autoSweep ? { autoSweep } : {}),
    ...(compareStreaming ? { compareStreaming } : {}),
    ...(coldConnections ? { coldConnections } : {}),
    workload: {
      ...(workloadPlan.synthetic ? { synthetic: workloadPlan.synthetic } : {}),
      ...(workloadPlan.sharedPrefixTokens ? { sharedPrefixTokens: workloadPlan.sharedPrefixTokens } : {}),
      ...(workloadPlan.conversations ? { conversations: workloadPlan.conversations.map((c) => c.name) } : {}),
    },
    prompts: {
      source: flags.prompt !== undefined ? 'flag' : flags.prompts ? flags.prompts : file.prompts ? file.prompts : file.prompt ? 'config' : `builtin${categories ? `:${categories.join(',')}` : ''}`,
      count: prompts.length,
      items: prompts,
    },
  };
  return {
    name,
    outDir: resolve(cwd, flags.out ?? file.out ?? DEFAULTS.out),
    failOnErrors: flags.failOnErrors ?? file.failOnErrors ?? DEFAULTS.failOnErrors,
    failOnSlo,
    engines,
    prompts,
    ...workload,
    coldConnections,
    phases,
    autoSweep,
    bounds,
    scrapeIntervalMs,
    slo,
    workload: workloadPlan,
    timeouts,
    textLimit: file.textLimit ?? DEFAULTS.textLimit,
    graceMs: graceS * 1000,
    secrets,
    scenario,
  };
}

interface EngineContext {
  model: string | undefined;
  labels: Map<string, number>;
  problems: string[];
  env: NodeJS.ProcessEnv;
  secrets: string[];
  insecure: boolean;
  caFile: string | undefined;
  apiKeyEnv: string | undefined;
  apiKeyFile: string | undefined;
}

function resolveEngine(config: EngineConfig, context: EngineContext): EnginePlan | undefined {
  const { problems } = context;
  const adapter = findEngine(config.kind);
  const url = parseEngineUrl(config.url);
  const where = `engine ${config.label ?? config.kind} (${config.kind})`;
  if (!adapter) problems.push(`unknown engine kind "${config.kind}": expected one of ${ENGINE_KINDS.join(', ')}`);
  if (!url) problems.push(`${where}: "${maskUrlText(config.url)}" is not an http(s) URL`);
  const model = config.model ?? context.model;
  if (model === undefined) problems.push(`${where}: no model: give --model NAME or \`model:\` in the config file`);
  const api = config.api ?? adapter?.apis[0];
  if (adapter && api && !adapter.apis.includes(api)) {
    problems.push(`${where}: unknown api "${api}": ${adapter.kind} speaks ${adapter.apis.join(', ')}`);
  }
  const headers: Record<string, string> = { ...config.headers };
  try {
    Object.assign(headers, headersFromEnv(context.env, config.headersFromEnv ?? {}));
    const token = resolveApiKey(
      context.env,
      config.apiKeyFile || config.apiKeyEnv
        ? { apiKeyFile: config.apiKeyFile, apiKeyEnv: config.apiKeyEnv }
        : { apiKeyFile: context.apiKeyFile, apiKeyEnv: context.apiKeyEnv },
      DEFAULTS.apiKeyEnv,
    );
    if (token) headers.authorization = `Bearer ${token}`;
  } catch (error) {
    if (error instanceof ServebenchError) problems.push(`${where}: ${error.message}`);
    else throw error;
  }
  if (url && (url.username || url.password) && !headers.authorization) {
    headers.authorization = `Basic ${Buffer.from(`${safeDecode(url.username)}:${safeDecode(url.password)}`).toString('base64')}`;
  }
  if (url) context.secrets.push(...urlSecrets(url));
  for (const value of Object.values(headers)) context.secrets.push(...headerSecrets(value));
  const caFile = config.caFile ?? context.caFile;
  if (caFile) {
    try {
      accessSync(caFile, constants.R_OK);
    } catch (error) {
      problems.push(`${where}: cannot read the CA bundle ${caFile} (--ca-file or caFile): ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  if (!adapter || !url || model === undefined || !api) return undefined;
  const base = config.label ?? adapter.kind;
  const seen = (context.labels.get(base) ?? 0) + 1;
  context.labels.set(base, seen);
  const label = seen === 1 ? base : `${base}-${seen}`;
  if (config.label && seen > 1) problems.push(`two engines are labelled "${config.label}": labels must be unique`);
  return {
    label,
    kind: adapter.kind,
    adapter,
    api,
    url,
    publicUrl: publicUrl(url),
    model,
    headers,
    headerNames: Object.keys(headers).map((h) => h.toLowerCase()).sort(),
    tls: { insecure: config.insecure ?? context.insecure, caFile },
  };
}

/**
 * What a URL carries that must never be published: its userinfo and query values, as typed and
 * decoded. The URL is recorded without them (publicUrl); these catch an engine echoing them back.
 */
export function urlSecrets(url: URL): string[] {
  const out: string[] = [];
  for (const part of [url.username, url.password]) if (part) out.push(part, safeDecode(part));
  for (const [, value] of url.searchParams) if (value) out.push(value);
  for (const pair of url.search.slice(1).split('&')) {
    const raw = pair.slice(pair.indexOf('=') + 1);
    if (pair.includes('=') && raw) out.push(raw);
  }
  return out;
}

/** A header value and what it hides: the token of `Bearer …`, the user and password of `Basic …`. */
export function headerSecrets(value: string): string[] {
  const out = [value];
  const scheme = /^(Bearer|Basic)\s+(.+)$/i.exec(value.trim());
  if (scheme?.[2]) {
    out.push(scheme[2]);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon !== -1) out.push(decoded, decoded.slice(0, colon), decoded.slice(colon + 1));
    }
  }
  return out;
}

/** A URL that did not parse, as it may be printed: whatever looks like userinfo or a query is hidden. */
function maskUrlText(text: string): string {
  return text.replace(/\/\/[^/?#]*@/, '//…@').replace(/[?#].*$/s, '?…');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `KIND=URL` or `KIND:API=URL`. Returns an error sentence for a malformed spec. */
export function parseEngineFlag(spec: string): EngineConfig | string {
  const match = /^([a-z0-9-]+)(?::([a-z0-9-]+))?=(.+)$/i.exec(spec.trim());
  if (!match) return `--engine "${maskUrlText(spec)}" is not KIND=URL (e.g. vllm=http://127.0.0.1:8000, tgi:messages=http://…)`;
  const [, kind, api, url] = match;
  return { kind: kind!.toLowerCase(), url: url!, ...(api ? { api: api.toLowerCase() } : {}) };
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ServebenchError(
      'CONFIG_NOT_FOUND',
      `cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'check the path given to --config',
      { cause: error },
    );
  }
  let data: unknown;
  try {
    // A warning (a tag no schema resolves) is a problem in the file like an error: reported
    // here, never printed by the YAML library itself.
    const doc = parseDocument(text, { logLevel: 'error' });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem !== undefined) throw problem;
    data = doc.toJS();
  } catch (error) {
    const where = error instanceof YAMLError && error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
    const reason = (error as Error).message.split('\n')[0]!.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    throw new ServebenchError(
      'BAD_CONFIG',
      `${path}${where} is not valid YAML: ${reason}`,
      'fix the YAML syntax at that position',
      { cause: error },
    );
  }
  const result = ConfigFile.safeParse(data ?? {}, { reportInput: true });
  if (!result.success) {
    const lines = formatIssues(path, result.error.issues);
    throw new ServebenchError(
      'BAD_CONFIG',
      `the config file ${path} is invalid:\n  - ${lines.join('\n  - ')}`,
      'fix the listed fields; `servebench collect --help` shows what each option means',
    );
  }
  return result.data;
}
