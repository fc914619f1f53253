// `servebench collect`: measure engines under load and write a run.
import { Command, Option } from 'commander';
import { loadCollectPlan, type CollectFlags } from '../config/load.ts';
import { liveDeps, runCollection } from '../collect/run-collection.ts';
import { ServebenchError } from '../errors.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { createReporter, type ProgressMode } from '../progress/reporter.ts';
import { resultsTable } from '../progress/results-table.ts';
import { anyMissed, sloSummary } from '../progress/slo-summary.ts';
import { dryRunText } from '../progress/dry-run.ts';
import { addEngineOptions, addRunOptions, addSloOptions, cliFlags } from './flags.ts';

export const collect: CommandModule = {
  define(program: Command, io: CommandIO) {
    addRunOptions(addSloOptions(addEngineOptions(program.command('collect'))))
      .summary('measure engines under load and write a run under runs/')
      .description(
        'Streams chat requests to each engine in turn, timestamps every streamed chunk on a monotonic clock, ' +
          'and writes runs/<run-id>/run.json (summaries) and requests.ndjson.gz (every raw timing).\n' +
          'Flags override the config file. Bearer token: SERVEBENCH_API_KEY, --api-key-env or --api-key-file.',
      )
      .option('--fail-on-errors', `exit 5 when any request failed (default: failed requests are data, exit 0)`)
      .option('--fail-on-slo', 'exit 7 when any objective (--slo) was missed in any engine and phase; inconclusive verdicts do not fail')
      .addOption(new Option('--json', 'print one JSON object {runId, runDir, status, …} as the last stdout line'))
      .action(async (_options: unknown, command: Command) => {
        const flags = cliFlags(command) as CollectFlags & { json?: boolean; dryRun?: boolean; progress?: ProgressMode; quiet?: boolean };
        const plan = await loadCollectPlan(flags, io.env, io.cwd);
        io.protect?.(plan.secrets);
        if (flags.dryRun) {
          io.stdout(dryRunText(plan));
          return;
        }
        const mode: ProgressMode = flags.quiet ? 'quiet' : (flags.progress ?? (io.tty ? 'tty' : 'plain'));
        const reporter = createReporter(mode, io.stderr, io.tty);
        let run;
        let dir;
        try {
          ({ run, dir } = await runCollection(plan, liveDeps(reporter, io.signal)));
        } finally {
          reporter.stop();
        }
        io.stdout(`${resultsTable(run)}\n\n${sloSummary(run)}\n`);
        for (const warning of run.warnings) io.stdout(`warning: ${warning}\n`);
        const failed = run.engines.reduce((n, e) => n + e.phases.reduce((m, p) => m + p.requests.failed, 0), 0);
        const simulated = run.engines.filter((e) => e.simulated).map((e) => e.label);
        io.stdout(`run ${run.id}: ${run.status}, written to ${dir}\n`);
        if (simulated.length > 0) io.stdout(`note: ${simulated.join(', ')} ${simulated.length > 1 ? 'are' : 'is'} SIMULATED: these numbers describe the simulator, not a real engine\n`);
        if (flags.json) {
          io.stdout(`${JSON.stringify({ runId: run.id, runDir: dir, status: run.status, failedRequests: failed, errorsByKind: run.errorsByKind, simulated, sloMissed: run.slo === null ? null : anyMissed(run.engines) })}\n`);
        }
        if (run.status === 'aborted') {
          throw new ServebenchError('INTERRUPTED', `interrupted: run ${run.id} was saved as aborted in ${dir}`, 'every finished request is in the run; rerun to measure the rest');
        }
        if (flags.failOnErrors && failed > 0) {
          throw new ServebenchError(
            'REQUESTS_FAILED',
            `${failed} request${failed > 1 ? 's' : ''} failed (${Object.entries(run.errorsByKind).map(([k, n]) => `${k}: ${n}`).join(', ')}); the run is saved in ${dir}`,
            'inspect the run with `servebench runs show ' + run.id + '`, or drop --fail-on-errors to treat failures as data',
          );
        }
        if (plan.failOnSlo && anyMissed(run.engines)) {
          const missed = run.engines.flatMap((e) => e.phases.flatMap((p) => (p.slo?.verdicts ?? []).filter((v) => v.verdict === 'missed').map((v) => `${e.label}/${p.name} ${v.objective}`)));
          throw new ServebenchError(
            'SLO_MISSED',
            `${missed.length} objective${missed.length > 1 ? 's were' : ' was'} missed: ${missed.slice(0, 5).join(', ')}${missed.length > 5 ? `, and ${missed.length - 5} more` : ''}; the run is saved in ${dir}`,
            'the verdicts are printed above; inconclusive verdicts do not fail --fail-on-slo (more requests per phase narrow the intervals)',
          );
        }
      });
  },
};
