// Reads every run under the runs directory with the collector's own reader (readRun for
// run.json, readRequests for the raw records), so the site validates and migrates exactly as
// `servebench runs validate` does. A run that does not read is either fatal (the build stops,
// naming the file, the field and the reason) or, with skipInvalid, set aside and listed.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readRequests, readRun } from '../../collector/store/read-run.ts';
import { RUN_FILE, type EngineRun, type PhaseSummary, type Run } from '../../collector/store/schema/index.ts';

/** A phase without the engine's and the collector's own time series. */
export type PhaseDigest = Omit<PhaseSummary, 'server' | 'client'>;
export type EngineDigest = Omit<EngineRun, 'phases' | 'info'> & { info: Omit<EngineRun['info'], 'raw'>; phases: PhaseDigest[] };
/**
 * What the index, the filters, the trends and the sitemap need of a run: its run.json without the
 * resolved scenario (its name and seed are kept), the engines' raw info and the per-phase series.
 * Kept for every run through the whole build, so it stays small; a run's own pages get the whole
 * run from its derived bundle (site/lib/derived/).
 */
export type RunDigest = Omit<Run, 'scenario' | 'engines'> & { scenario: { name?: unknown; seed: number }; engines: EngineDigest[] };

export function digestOf(run: Run): RunDigest {
  const { scenario, engines, ...rest } = run;
  return {
    ...rest,
    scenario: { ...(scenario['name'] === undefined ? {} : { name: scenario['name'] }), seed: scenario.seed },
    engines: engines.map(({ info: { raw: _raw, ...info }, phases, ...engine }) => ({
      ...engine,
      info,
      phases: phases.map(({ server: _server, client: _client, ...phase }) => phase),
    })),
  };
}

export interface LoadedRun {
  kind: 'run';
  run: RunDigest;
  /** The run directory as read (runs directory joined with its name). */
  dir: string;
  /** Raw records in the run (warm-up included). */
  records: number;
  /** Set when the raw file ends mid-record (a crash mid-write): the rest was still read. */
  truncation: string | null;
}

export interface SkippedRun {
  kind: 'skipped';
  /** The directory name under the runs directory. */
  name: string;
  dir: string;
  /** Why it was skipped: the reader's message, naming the file, the field and the reason. */
  reason: string;
}

export type RunEntry = LoadedRun | SkippedRun;

export interface LoadOptions {
  skipInvalid: boolean;
}

/** Thrown when a run does not read and skipInvalid is off: carries every invalid run's reason. */
export class InvalidRunsError extends Error {
  readonly runs: SkippedRun[];
  /** The collector's error code of the first invalid run (RUN_INVALID, RUN_FUTURE_VERSION…). */
  readonly code: string;
  constructor(runs: SkippedRun[], code: string) {
    super(
      `${runs.length === 1 ? 'a run is' : `${runs.length} runs are`} invalid, so the site was not built:\n` +
        runs.map((r) => `  ${r.reason.replace(/\n/g, '\n  ')}`).join('\n') +
        '\n  hint: restore or remove the run, or build the other runs with --skip-invalid (SERVEBENCH_SKIP_INVALID=1)',
    );
    this.name = 'InvalidRunsError';
    this.runs = runs;
    this.code = code;
  }
}

const PARALLEL_READS = 4;

/** Every run directory (one holding run.json) under runsDir, newest name first. A missing runsDir has none. */
export async function runDirectories(runsDir: string): Promise<string[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const isRun = await stat(join(runsDir, entry.name, RUN_FILE)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isRun) names.push(entry.name);
  }
  return names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** Reads one run and every one of its raw records; a ServebenchError names what is wrong. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const run = digestOf(await readRun(dir));
  let records = 0;
  let truncation: string | null = null;
  for await (const _record of readRequests(dir, { onTruncated: (t) => void (truncation = `${t.file}: ${t.reason}`) })) records++;
  return { kind: 'run', run, dir, records, truncation };
}

function errorCode(error: unknown): string | null {
  // Duck-typed: Vite may load its own copy of errors.ts, so instanceof is not reliable here.
  if (error instanceof Error && error.name === 'ServebenchError' && typeof (error as { code?: unknown }).code === 'string') {
    return (error as unknown as { code: string }).code;
  }
  return null;
}

function errorText(error: unknown): string {
  const hint = (error as { hint?: unknown }).hint;
  const message = error instanceof Error ? error.message : String(error);
  return typeof hint === 'string' ? `${message}\n  hint: ${hint}` : message;
}

/**
 * Loads the runs directory. Valid runs come back newest first; invalid ones are skipped and
 * returned when skipInvalid is set, else InvalidRunsError is thrown listing all of them. Two
 * runs with the same id (a copied directory) are an error too: their pages would collide.
 */
export async function loadRuns(runsDir: string, options: LoadOptions): Promise<{ runs: LoadedRun[]; skipped: SkippedRun[] }> {
  const names = await runDirectories(runsDir);
  const results: (LoadedRun | SkippedRun)[] = new Array(names.length);
  let firstCode: string | null = null;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++;
      const name = names[index]!;
      const dir = join(runsDir, name);
      try {
        results[index] = await loadRun(dir);
      } catch (error) {
        const code = errorCode(error);
        if (code === null) throw error;
        firstCode ??= code;
        results[index] = { kind: 'skipped', name, dir, reason: errorText(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, names.length) }, worker));

  const runs: LoadedRun[] = [];
  const skipped: SkippedRun[] = [];
  const seen = new Map<string, string>();
  for (const result of results) {
    if (result.kind === 'skipped') {
      skipped.push(result);
      continue;
    }
    const other = seen.get(result.run.id);
    if (other !== undefined) {
      firstCode ??= 'RUN_INVALID';
      skipped.push({
        kind: 'skipped',
        name: result.dir.slice(runsDir.length).replace(/^[\\/]+/, ''),
        dir: result.dir,
        reason: `${join(result.dir, RUN_FILE)}: id: "${result.run.id}" is also the id of ${join(other, RUN_FILE)}, so their pages would collide.\n  hint: a run directory was copied: remove one of the two.`,
      });
      continue;
    }
    seen.set(result.run.id, result.dir);
    runs.push(result);
  }
  if (skipped.length > 0 && !options.skipInvalid) throw new InvalidRunsError(skipped, firstCode ?? 'RUN_INVALID');
  runs.sort(newestFirst);
  return { runs, skipped };
}

export function newestFirst(a: { run: Pick<Run, 'startedAt' | 'id'> }, b: { run: Pick<Run, 'startedAt' | 'id'> }): number {
  const byDate = Date.parse(b.run.startedAt) - Date.parse(a.run.startedAt);
  if (byDate !== 0) return byDate;
  return a.run.id < b.run.id ? 1 : a.run.id > b.run.id ? -1 : 0;
}

/** SERVEBENCH_SKIP_INVALID: 1, true or yes turn it on. */
export function skipInvalidFromEnv(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true|yes)$/i.test(env['SERVEBENCH_SKIP_INVALID']?.trim() ?? '');
}

export function runsDirFromEnv(env: NodeJS.ProcessEnv): string {
  return env['SERVEBENCH_RUNS']?.trim() || 'runs';
}
