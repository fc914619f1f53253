// `servebench demo`: the whole product on a laptop. Simulated vLLM, TGI and Ollama engines run in a
// child process; a short mixed scenario is collected against all three; the run lands in runs/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readConfigFile, resolveCollectPlan } from '../config/load.ts';
import { SCENARIOS_DIR } from './scenario.ts';
import { buildSite } from './site.ts';
import { fileURLToPath } from 'node:url';

const PROJECT_SITE = fileURLToPath(new URL('../../site/', import.meta.url));
import type { ConfigFile } from '../config/schema.ts';
import { liveDeps, runCollection } from '../collect/run-collection.ts';
import { ServebenchError } from '../errors.ts';
import { startSimProcess } from '../sim/child.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { createReporter } from '../progress/reporter.ts';
import { sloSummary } from '../progress/slo-summary.ts';

export const demo: CommandModule = {
  define(program: Command, io: CommandIO) {
    program
      .command('demo')
      .summary('measure simulated vLLM, TGI and Ollama engines end to end (no GPU needed)')
      .description(
        'Starts the built-in simulator (vLLM, TGI and Ollama profiles) in a child process, collects a short ' +
          'mixed scenario (concurrency 1, 4 and 12) against all three, writes the run under runs/, builds the ' +
          'report site when the project has one, and stops the simulator. Every number it produces describes ' +
          'the simulator, never a real engine.',
      )
      .option('--out <DIR>', 'directory that holds runs', 'runs')
      .option('--json', 'print one JSON object {runId, runDir, status, simulated} as the last stdout line')
      .action(async (flags: { out: string; json?: boolean }) => {
        io.stdout('servebench demo: every engine below is SIMULATED by servebench; no real engine is measured.\n');
        const simulation = await startSimProcess(['--engine', 'vllm:0', '--engine', 'tgi:0', '--engine', 'ollama:0', '--seed', '42'], 'inherit');
        try {
          // The scenario is the shipped demo.yaml, so users can copy it and run it against real engines.
          const config: ConfigFile = {
            ...(await readConfigFile(`${SCENARIOS_DIR}demo.yaml`)),
            engines: simulation.engines.map((e) => ({ kind: e.kind, url: e.url, label: `${e.kind}-sim`, model: e.model })),
          };
          const plan = await resolveCollectPlan(config, io.cwd, { out: flags.out }, {}, io.cwd);
          const reporter = createReporter(io.tty ? 'tty' : 'plain', (t) => io.stderr(t), io.tty);
          const { run, dir } = await runCollection(plan, liveDeps(reporter, io.signal)).finally(() => reporter.stop());
          if (!run.engines.every((e) => e.simulated)) {
            // The simulator always says so; if it did not, the run must not pass for a real engine's.
            throw new ServebenchError('ENGINE_UNREACHABLE', 'a demo engine did not identify itself as simulated', 'report this as a bug');
          }
          io.stdout(`\n${sloSummary(run)}\n`);
          io.stdout(`\nrun ${run.id}: ${run.status} (SIMULATED engines), written to ${dir}\n`);
          io.stdout(`  look at it:   npx servebench runs show ${run.id}\n`);
          if (existsSync(join(PROJECT_SITE, 'pages'))) {
            // Every run under the runs directory, so the new one sits beside the earlier ones.
            await buildSite({ runs: flags.out, out: 'dist', skipInvalid: true }, io);
          } else {
            io.stdout('  report site:  not part of this checkout\n');
          }
          if (flags.json) io.stdout(`${JSON.stringify({ runId: run.id, runDir: dir, status: run.status, simulated: true })}\n`);
          if (run.status === 'aborted') {
            throw new ServebenchError('INTERRUPTED', `interrupted: the demo run was saved as aborted in ${dir}`, 'run `npm run demo` again for a complete one');
          }
        } finally {
          await simulation.stop();
        }
      });
  },
};
