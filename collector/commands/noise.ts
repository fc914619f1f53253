// `servebench noise`: the same scenario k times back to back (A/A) with collect's flags, written as
// k ordinary runs (one series on the site), then how far the runs disagree per engine × phase ×
// metric and the τ for `servebench diff` that this spread calls for (collector/noise/).
import type { Command } from 'commander';
import { loadCollectPlan, type CollectFlags } from '../config/load.ts';
import { liveDeps, runCollection } from '../collect/run-collection.ts';
import { readSamples, type RunSamples } from '../compare/phase-samples.ts';
import { ServebenchError } from '../errors.ts';
import { recommend } from '../noise/recommend.ts';
import { noiseJson, noiseText, type NoiseRunRef } from '../noise/report.ts';
import { spreadRows } from '../noise/spread.ts';
import { dryRunText } from '../progress/dry-run.ts';
import { createReporter, type ProgressMode } from '../progress/reporter.ts';
import type { Run } from '../store/schema/index.ts';
import { clean } from '../text-table.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { addEngineOptions, addRunOptions, addSloOptions, cliFlags } from './flags.ts';

const DEFAULT_REPEAT = 5;
const MAX_REPEAT = 100;

type NoiseFlags = CollectFlags & { json?: boolean; dryRun?: boolean; progress?: ProgressMode; quiet?: boolean };

export const noise: CommandModule = {
  define(program: Command, io: CommandIO) {
    addRunOptions(addSloOptions(addEngineOptions(program.command('noise'))))
      .summary('run one scenario k times (A/A) and recommend τ for diff from how far the runs disagree')
      .description(
        'Runs the scenario --repeat times back to back against the engines, with the same flags as collect, writing each as an ordinary run ' +
          '(they share one scenario hash, so the site shows them as one series of replicates). Then prints, per engine × phase, the spread ' +
          'across the runs of TTFT, ITL, TPOT and E2E p50/p90/p99 and output tok/s per request, and a recommended τ per metric for ' +
          '`servebench diff --threshold` (docs/statistics.md, "How noisy is a setup"). A few runs give a rough spread only.',
      )
      .option('--repeat <K>', `runs back to back, at least 2 (fewer than 5 give a weak recommendation)`, String(DEFAULT_REPEAT))
      .option('--json', 'print the result as one JSON object instead of the tables (progress goes to stderr)')
      .action(async (options: { repeat: string }, command: Command) => noiseAction(parseRepeat(options.repeat), withoutOwn(cliFlags(command)), io));
  },
};

async function noiseAction(repeat: number, flags: NoiseFlags, io: CommandIO): Promise<void> {
  const plan = await loadCollectPlan(flags, io.env, io.cwd);
  io.protect?.(plan.secrets);
  if (flags.dryRun) {
    io.stdout(`${dryRunText(plan)}noise: this plan would run ${repeat} times back to back.\n`);
    return;
  }
  const mode: ProgressMode = flags.quiet ? 'quiet' : (flags.progress ?? (io.tty ? 'tty' : 'plain'));
  const written: Array<{ run: Run; dir: string }> = [];
  for (let i = 1; i <= repeat; i++) {
    if (io.signal.aborted) throw interrupted(written, repeat);
    const reporter = createReporter(mode, io.stderr, io.tty);
    let result;
    try {
      result = await runCollection(plan, liveDeps(reporter, io.signal));
    } finally {
      reporter.stop();
    }
    written.push(result);
    // Progress, on stderr like collect's: the report lists the runs again.
    io.stderr(`run ${i}/${repeat}: ${clean(result.run.id)} ${result.run.status}, written to ${clean(result.dir)}\n`);
    if (result.run.status === 'aborted') throw interrupted(written, repeat);
  }
  const hashes = new Set(written.map((w) => w.run.scenarioHash));
  if (hashes.size !== 1) {
    // Same plan, so this would be a bug in the writer: say it rather than mix series.
    throw new Error(`the ${repeat} runs of one plan got ${hashes.size} scenario hashes: ${[...hashes].join(', ')}`);
  }
  const samples: RunSamples[] = [];
  for (const w of written) samples.push(await readSamples(w.dir, null));
  const rows = spreadRows(samples);
  const first = written[0]!.run;
  const report = {
    name: first.name,
    scenarioHash: first.scenarioHash,
    runs: written.map(runRef),
    simulatedEngines: first.engines.filter((e) => e.simulated).map((e) => e.label),
    rows,
    recommendation: recommend(rows, written.length),
  };
  io.stdout(flags.json ? noiseJson(report) : noiseText(report));
}

function runRef({ run, dir }: { run: Run; dir: string }): NoiseRunRef {
  const failedRequests = run.engines.reduce((n, e) => n + e.phases.reduce((m, p) => m + p.requests.failed, 0), 0);
  return { id: run.id, dir, status: run.status, startedAt: run.startedAt, failedRequests };
}

function interrupted(written: ReadonlyArray<{ run: Run }>, repeat: number): ServebenchError {
  return new ServebenchError(
    'INTERRUPTED',
    `interrupted after ${written.length} of ${repeat} runs${written.length > 0 ? ` (${written.map((w) => clean(w.run.id)).join(', ')}; the last may be saved as aborted)` : ''}; no spread was computed`,
    'every run written is an ordinary run; rerun servebench noise for the whole study',
  );
}

/** --repeat and --json are noise's own: the plan is collect's, from collect's flags only. */
function withoutOwn(flags: Record<string, unknown>): NoiseFlags {
  const { repeat: _repeat, ...rest } = flags;
  return rest as NoiseFlags;
}

export function parseRepeat(text: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 2 && value <= MAX_REPEAT)) {
    throw new ServebenchError('BAD_FLAG', `--repeat "${clean(text)}" is not a number of runs from 2 to ${MAX_REPEAT}.`, `give how many runs to compare, e.g. --repeat ${DEFAULT_REPEAT} (one run has no spread).`);
  }
  return value;
}
