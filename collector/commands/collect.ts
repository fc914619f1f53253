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
import { addEngineOptions, addSloOptions, cliFlags } from './flags.ts';

export const collect: CommandModule = {
  define(program: Command, io: CommandIO) {
    addSloOptions(addEngineOptions(program.command('collect')))
      .summary('measure engines under load and write a run under runs/')
      .description(
        'Streams chat requests to each engine in turn, timestamps every streamed chunk on a monotonic clock, ' +
          'and writes runs/<run-id>/run.json (summaries) and requests.ndjson.gz (every raw timing).\n' +
          'Flags override the config file. Bearer token: SERVEBENCH_API_KEY, --api-key-env or --api-key-file.',
      )
      .option('--preset <NAME>', 'a shipped scenario: quick, standard, stress or demo')
      .option('--requests <N>', 'requests per phase (warm-up included)')
      .option('--duration <S>', 'seconds per phase (with --requests: whichever comes first)')
      .option('--concurrency <N[,N…]>', 'closed-loop users; a list runs one phase per level (a sweep)')
      .option('--rate <R[,R…]>', 'open-loop arrivals per second; a list runs one phase per rate')
      .option('--arrival <KIND>', 'open-loop arrivals: constant or poisson (default poisson)')
      .option('--max-in-flight <N>', 'open loop: arrivals beyond this many in flight are dropped and counted')
      .option('--sweep <auto>', 'measure sequential and saturated throughput, then spread rates between them')
      .option('--warmup <N>', 'first N requests of each phase are recorded but left out of summaries')
      .option('--think-time <MS>', 'closed loop: pause between a user\'s requests')
      .option('--scrape-interval <S>', 'seconds between scrapes of engine /metrics (default 1)')
      .option('--dry-run', 'print the resolved plan (phases, expected requests and duration) and send nothing')
      .addOption(new Option('--progress <MODE>', 'live progress: tty (redrawn), plain (a line every 5 s) or quiet').choices(['tty', 'plain', 'quiet']))
      .option('--quiet', 'no progress output (same as --progress quiet)')
      .option('--max-tokens <N>', 'maximum output tokens per request')
      .option('--temperature <T>', 'sampling temperature (default 0)')
      .option('--seed <N>', 'seed sent with every request (default 42)')
      .option('--prompt <TEXT>', 'one prompt for every request')
      .option('--synthetic <LENGTH>', 'synthetic prompts of short, medium or long input, or MEAN:STDEV[:MIN:MAX] tokens, calibrated with each engine\'s /tokenize')
      .option('--shared-prefix <TOKENS>', 'prepend one shared system text of about this many tokens to every prompt')
      .option('--conversations <NAMES>', 'multi-turn conversations (4 turns, history carried): all, or names')
      .option('--compare-streaming', 'run every phase twice: streamed, then whole answers')
      .option('--cold-connections', 'open a new connection for every request (default: one per user, opened before the phase and reused)')
      .option('--categories <LIST>', 'built-in prompt categories, comma-separated (default: all 8)')
      .option('--prompts <FILE>', 'prompt file: .txt (one per line) or .jsonl ({"messages": [...]} per line)')
      .option('--name <LABEL>', 'run name, also used in the run id')
      .option('--out <DIR>', 'directory that holds runs (default runs)')
      .option('--natural-length', 'do not ask engines to ignore EOS; answers end where the model stops')
      .option('--no-stream', 'ask for whole answers instead of streams (TTFT then equals E2E)')
      .option('--ttft-timeout <S>', 'seconds to wait for the first token (default 60)')
      .option('--idle-timeout <S>', 'seconds allowed between two stream events (default 30)')
      .option('--timeout <S>', 'seconds allowed for a whole request (default 300)')
      .option('--grace <S>', 'after Ctrl-C, seconds requests in flight may take to finish (default 10)')
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
