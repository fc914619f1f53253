// Which run directory BASE or HEAD of a diff names: a run id under the runs directory, a run
// directory, `latest:<name>` (the newest run whose scenario name is <name>) or `latest` (for BASE:
// the newest run before HEAD that may be compared with it; for HEAD: the newest run).
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ServebenchError } from '../errors.ts';
import { listRuns, type ListedRun } from '../store/list-runs.ts';
import { readRun } from '../store/read-run.ts';
import type { Run } from '../store/schema/index.ts';
import { environmentDiff, worstSeverity } from './comparability.ts';

export interface ResolvedRun {
  dir: string;
  run: Run;
}

/**
 * `before`: the run the one sought is compared with (HEAD, when resolving BASE): `latest…` then
 * only considers runs that started before it, and `latest` only those comparable with it.
 */
export async function resolveRun(spec: string, runsDir: string, cwd: string, before?: ResolvedRun): Promise<ResolvedRun> {
  if (spec === 'latest' || spec.startsWith('latest:')) return latestRun(spec, runsDir, before);
  const asPath = resolve(cwd, spec);
  const looksLikeId = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec) && !isAbsolute(spec);
  const candidates = looksLikeId ? [join(runsDir, spec), asPath] : [asPath];
  for (const dir of candidates) if (await isDirectory(dir)) return { dir, run: await readRun(dir) };
  throw new ServebenchError(
    'RUN_NOT_FOUND',
    `no run "${spec}": ${candidates.length > 1 ? `neither ${candidates[0]} nor ${candidates[1]} exists` : `${asPath} does not exist`}.`,
    '`servebench runs list` shows the run ids under --runs; pass an id, a run directory, `latest:<scenario name>` or `latest`.',
  );
}

async function latestRun(spec: string, runsDir: string, before: ResolvedRun | undefined): Promise<ResolvedRun> {
  const name = spec === 'latest' ? null : spec.slice('latest:'.length);
  const readable = (await listRuns(runsDir)).filter((e): e is ListedRun & { run: Run } => e.run !== undefined);
  const earlier = before === undefined ? readable : readable.filter((e) => e.dir !== before.dir && e.run.startedAt < before.run.startedAt);
  // Newest first, as listRuns orders them.
  const found = earlier.find((e) => (name !== null ? e.run.name === name : before === undefined || worstSeverity(environmentDiff(e.run, before.run)) !== 'refuse'));
  if (found) return { dir: found.dir, run: found.run };
  const what = name !== null ? `run named "${name}"` : before ? 'run comparable with the head run (same engines, models, scenario and load points)' : 'run';
  throw new ServebenchError(
    'RUN_NOT_FOUND',
    `no ${what} under ${runsDir}${before ? ` that started before ${before.run.id}` : ''}.`,
    name !== null
      ? '`latest:<name>` matches the scenario name runs were collected under (the NAME column of `servebench runs list`); pass a run id or directory instead.'
      : 'collect a run of the same scenario first, or pass the base run id or directory.',
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
