// `servebench runs list|show|validate`: look at saved runs. Everything is read through
// store/read-run.ts, so what these commands accept is exactly what the rest of servebench accepts.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { isServebenchError, ServebenchError } from '../errors.ts';
import { listRuns, type ListedRun } from '../store/list-runs.ts';
import { readRequests, readRun, type Truncation } from '../store/read-run.ts';
import { RAW_FILE, RAW_FILE_GZ, type Distribution, type Run } from '../store/schema/index.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { clean, table } from '../text-table.ts';
import { engineName, resultsTable } from '../progress/results-table.ts';
import { sloSummary } from '../progress/slo-summary.ts';
import { recordsCounted, recoverRun } from '../collect/recover-run.ts';

interface RunsOptions {
  runs: string;
  json?: boolean;
}

export const runs: CommandModule = {
  define(program: Command, io: CommandIO) {
    const group = program
      .command('runs')
      .summary('list, show and validate saved runs')
      .description('Look at the runs saved under a runs directory (default ./runs): one directory per run, holding run.json and requests.ndjson.gz.');
    const runsDirOption = ['--runs <DIR>', 'directory that holds runs', 'runs'] as const;

    group
      .command('list')
      .summary('list the runs, newest first')
      .description('Lists every run under the runs directory, newest first. Runs that cannot be read are listed with their error, not hidden.')
      .option(...runsDirOption)
      .option('--json', 'print a JSON array instead of a table')
      .action(async (options: RunsOptions) => listAction(options, io));

    group
      .command('show')
      .summary("show one run's engines and headline numbers")
      .description(
        "Shows a run's identity, scenario and status, then per engine and phase: requests ok/failed, TTFT, TPOT and E2E percentiles in ms, and output tokens/s. " +
          'Simulated engines are labelled SIMULATED.',
      )
      .argument('<id-or-dir>', 'a run id under --runs, or a run directory')
      .option(...runsDirOption)
      .option('--json', 'print the run (run.json, upgraded to the current format) as JSON')
      .action(async (idOrDir: string, options: RunsOptions) => {
        const dir = await locateRun(idOrDir, options, io);
        const run = await readRun(dir);
        io.stdout(options.json ? `${JSON.stringify(run, null, 2)}\n` : showText(dir, run));
      });

    group
      .command('validate')
      .summary('check runs against the run format, raw records included')
      .description(
        'Checks run.json and every line of the raw requests file against the run format. With a run directory (or id), checks that run; ' +
          'without, every run under --runs. Prints "ok <dir>" per valid run and the full error per invalid one; exits 4 when any run is invalid.',
      )
      .argument('[id-or-dir]', 'a run id under --runs, or a run directory (default: every run under --runs)')
      .option(...runsDirOption)
      .action(async (idOrDir: string | undefined, options: RunsOptions) => validateAction(idOrDir, options, io));

    group
      .command('recover')
      .summary('complete a run whose collector was killed, from its raw file')
      .description(
        'A collector killed mid-run (kill -9, a crash, a second Ctrl-C) or stopped by a full disk leaves run.json with status "partial" and no summaries, ' +
          'and requests.ndjson holding every request that finished. This rebuilds the summaries from that file and saves the run as partial. ' +
          'It first repairs the raw file, keeping every whole record: lines cut by a full disk are dropped (and listed), and what a finalisation killed midway ' +
          'left behind (temporary files, a plain file beside its gzip, a cut gzip) is cleaned up. Running it again changes nothing.',
      )
      .argument('<id-or-dir>', 'a run id under --runs, or a run directory')
      .option(...runsDirOption)
      .action(async (idOrDir: string, options: RunsOptions) => {
        const dir = await locateRun(idOrDir, options, io);
        const result = await recoverRun(dir);
        if (!result.recovered) {
          io.stdout(`run ${result.run.id} finished normally (${result.run.status}): nothing to recover\n`);
        } else {
          io.stdout(`recovered run ${result.run.id} as partial from ${result.records} raw records in ${dir}\n`);
          if (result.counted > result.records) io.stdout(`  note: the run had counted ${result.counted} requests; ${result.counted - result.records} are not in the raw file\n`);
        }
        for (const note of result.repair.notes) io.stdout(`  repaired: ${note}\n`);
        for (const t of result.truncations) io.stdout(`  note: ${t.reason}\n`);
      });
  },
};

async function listAction(options: RunsOptions, io: CommandIO): Promise<void> {
  const runsDir = resolve(io.cwd, options.runs);
  const listed = await listRuns(runsDir);
  if (options.json) {
    io.stdout(`${JSON.stringify(listed.map(listRow), null, 2)}\n`);
    return;
  }
  if (listed.length === 0) {
    const exists = await isDirectory(runsDir);
    io.stdout(exists ? `no runs in ${runsDir}\n` : `no runs directory at ${runsDir} (nothing has been collected here yet)\n`);
    return;
  }
  const rows = listed.map((entry) => {
    if (entry.error) return [clean(basename(entry.dir)), 'INVALID', firstLine(entry.error.message)];
    const { run } = entry;
    const { ok, failed } = requestCounts(run);
    return [run.id, run.status, clean(run.name), engineLabels(run), String(ok), String(failed), shortTime(run.startedAt)];
  });
  io.stdout(table(['ID', 'STATUS', 'NAME', 'ENGINES', 'OK', 'FAILED', 'STARTED'], rows, [4, 5]));
  const invalid = listed.filter((entry) => entry.error).length;
  const note = invalid > 0 ? ` (${invalid} invalid: \`servebench runs validate\` shows why)` : '';
  io.stdout(`${listed.length} run${listed.length === 1 ? '' : 's'} in ${runsDir}${note}\n`);
}

function listRow(entry: ListedRun): Record<string, unknown> {
  if (entry.error) return { dir: entry.dir, error: { code: entry.error.code, message: entry.error.message, hint: entry.error.hint } };
  const { run } = entry;
  return {
    dir: entry.dir,
    id: run.id,
    status: run.status,
    name: run.name,
    engines: run.engines.map((e) => ({ label: e.label, kind: e.kind, simulated: e.simulated })),
    ...requestCounts(run),
    startedAt: run.startedAt,
  };
}

async function validateAction(idOrDir: string | undefined, options: RunsOptions, io: CommandIO): Promise<void> {
  if (idOrDir !== undefined) {
    // One run: its error, if any, is printed once, by the CLI, from the throw.
    const dir = await locateRun(idOrDir, options, io);
    printValid(dir, await validateRun(dir), io);
    return;
  }
  const runsDir = resolve(io.cwd, options.runs);
  const dirs = (await listRuns(runsDir)).map((entry) => entry.dir);
  if (dirs.length === 0) {
    io.stdout(`no runs to validate in ${runsDir}\n`);
    return;
  }
  const invalid: ServebenchError[] = [];
  for (const dir of dirs) {
    try {
      printValid(dir, await validateRun(dir), io);
    } catch (error) {
      if (!isServebenchError(error)) throw error;
      invalid.push(error);
      io.stdout(`INVALID ${dir}\n${indent(error.message)}\n  hint: ${error.hint}\n  (${error.code})\n`);
    }
  }
  // Each error was printed above; the exit reason is a count, with the first one's code.
  if (invalid.length > 0) {
    throw new ServebenchError(
      invalid[0]!.code,
      `${invalid.length} of ${dirs.length} runs in ${runsDir} are invalid (listed above)`,
      'fix or remove the runs listed as INVALID; each one says what is wrong',
    );
  }
}

function printValid(dir: string, notes: string[], io: CommandIO): void {
  io.stdout(`ok ${dir}\n`);
  for (const note of notes) io.stdout(`  ${note}\n`);
}

/**
 * Reads run.json and every raw record. A finished run's raw file must hold every request its
 * summaries count, whole; a partial run (in progress, or its collector was killed) may end in a
 * cut line, reported with a pointer to `runs recover`.
 */
async function validateRun(dir: string): Promise<string[]> {
  const run = await readRun(dir);
  const truncations: Truncation[] = [];
  let records = 0;
  for await (const _record of readRequests(dir, { onTruncated: (t) => truncations.push(t) })) {
    // reading validates each line
    records += 1;
  }
  const file = truncations[0]?.file ?? (await rawFileName(dir));
  const recover = `\`servebench runs recover ${dir}\``;
  if (run.status === 'partial') {
    const notes = truncations.map((t) => `note: ${t.file}: ${t.reason}`);
    if (run.finishedAt === null) {
      notes.push(`warning: run ${run.id} is partial: its collector is still running or stopped before it finished; if it is not running, ${recover} completes it from its ${records} raw records`);
    }
    return notes;
  }
  const counted = recordsCounted(run);
  if (truncations.length > 0 || records < counted) {
    const cut = truncations.map((t) => ` (${t.reason})`).join('');
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} is shorter than its run says: run ${run.id} is ${run.status} and counts ${counted} request${counted === 1 ? '' : 's'}, but the file holds ${records} whole record${records === 1 ? '' : 's'}${cut}.`,
      `the raw file was cut after servebench finished it (a full disk, an interrupted copy): restore it from a copy, or run ${recover} to keep the ${records} whole records and rebuild the summaries from them (the run becomes partial).`,
    );
  }
  return [];
}

async function rawFileName(dir: string): Promise<string> {
  const gz = join(dir, RAW_FILE_GZ);
  return (await stat(gz).then((s) => s.isFile(), () => false)) ? gz : join(dir, RAW_FILE);
}

/** An id is looked up under --runs first; anything else (or an id not found there) is a path. */
async function locateRun(idOrDir: string, options: RunsOptions, io: CommandIO): Promise<string> {
  const runsDir = resolve(io.cwd, options.runs);
  const asPath = resolve(io.cwd, idOrDir);
  const looksLikeId = /^[a-z0-9][a-z0-9-]*$/.test(idOrDir);
  const candidates = looksLikeId && !isAbsolute(idOrDir) ? [join(runsDir, idOrDir), asPath] : [asPath];
  for (const dir of candidates) if (await isDirectory(dir)) return dir;
  throw new ServebenchError(
    'RUN_NOT_FOUND',
    `no run "${idOrDir}": ${candidates.length > 1 ? `neither ${candidates[0]} nor ${candidates[1]} exists` : `${asPath} does not exist`}.`,
    `\`servebench runs list --runs ${options.runs}\` shows the run ids; pass an id from there or a run directory.`,
  );
}

function showText(dir: string, run: Run): string {
  const lines: string[] = [];
  const width = Math.max(10, ...Object.keys(run.scenario).map((k) => k.length));
  const field = (label: string, value: string) => lines.push(`  ${clean(label).padEnd(width)} ${value}`);
  lines.push(`run ${clean(run.id)} (${run.status})`);
  field('dir', dir);
  field('name', clean(run.name));
  field('started', run.startedAt);
  field('finished', run.finishedAt ?? '(not finished)');
  field('tool', `${clean(run.tool.name)} ${clean(run.tool.version)}${run.tool.gitSha ? ` (${clean(run.tool.gitSha.slice(0, 12))})` : ''}`);
  field('host', clean(`${run.host.hostname}: ${run.host.os} ${run.host.release} ${run.host.arch}, ${run.host.cpuCount} × ${run.host.cpuModel}, node ${run.host.node}`));
  field('errors', Object.keys(run.errorsByKind).length === 0 ? 'none' : counts(run.errorsByKind));
  for (const warning of run.warnings) field('warning', clean(warning));
  lines.push('', 'scenario');
  field('hash', clean(run.scenarioHash));
  for (const [key, value] of Object.entries(run.scenario)) field(key, clean(ellipsis(JSON.stringify(value) ?? 'undefined', 100)));
  lines.push('', 'engines');
  const engineRows = run.engines.map((e) => [
    clean(e.label),
    clean(e.kind),
    clean(e.info.version ?? '?'),
    clean(e.info.model !== null && e.info.model !== e.model ? `${e.model} (reports ${e.info.model})` : e.model),
    clean(e.api),
    e.simulated ? 'SIMULATED' : '',
  ]);
  lines.push(indent(table(['LABEL', 'KIND', 'VERSION', 'MODEL', 'API', ''], engineRows).trimEnd()));
  lines.push('', resultsTable(run));
  lines.push('', sloSummary(run));
  return `${lines.join('\n')}\n`;
}

function requestCounts(run: Run): { ok: number; failed: number } {
  let ok = 0;
  let failed = 0;
  for (const phase of run.engines.flatMap((e) => e.phases)) {
    ok += phase.requests.ok;
    failed += phase.requests.failed;
  }
  return { ok, failed };
}

function engineLabels(run: Run): string {
  return run.engines.map(engineName).join(', ');
}

function counts(byKind: Record<string, number>): string {
  return Object.entries(byKind)
    .map(([kind, n]) => `${clean(kind)}: ${n}`)
    .join(', ');
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1Z');
}

function firstLine(text: string): string {
  return clean(text.split('\n')[0] ?? '');
}

function ellipsis(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
