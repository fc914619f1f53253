// `servebench engines`: check each engine's health and print what it says about itself.
import type { Command } from 'commander';
import { loadCollectPlan, type CollectFlags } from '../config/load.ts';
import { closeEngines, openEngines } from '../collect/preflight.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { addEngineOptions, cliFlags } from './flags.ts';

export const engines: CommandModule = {
  define(program: Command, io: CommandIO) {
    addEngineOptions(program.command('engines'))
      .summary('check engines are up and print what each says about itself')
      .description(
        'Calls each engine\'s health endpoint, then its info endpoints (version, models, limits). ' +
          'Exits 3 when any engine is not ready.',
      )
      .option('--json', 'print the engines\' info as JSON')
      .action(async (_options: unknown, command: Command) => {
        const flags = cliFlags(command) as CollectFlags & { json?: boolean };
        const plan = await loadCollectPlan(flags, io.env, io.cwd, { requireModel: false });
        io.protect?.(plan.secrets);
        const sessions = await openEngines(plan.engines, plan.timeouts.connectMs);
        await closeEngines(sessions);
        const described = sessions.map((s) => ({
          label: s.plan.label,
          kind: s.plan.kind,
          url: s.plan.publicUrl,
          healthy: true,
          simulated: s.info.simulated,
          version: s.info.version ?? null,
          model: s.info.model ?? null,
          modelRevision: s.info.modelRevision ?? null,
          maxModelTokens: s.info.maxModelTokens ?? null,
          problems: s.info.problems,
        }));
        if (flags.json) {
          io.stdout(`${JSON.stringify(described)}\n`);
          return;
        }
        for (const e of described) {
          const lines = [
            `${e.label} (${e.kind}) ${e.url}: healthy${e.simulated ? ', SIMULATED (servebench simulator, not a real engine)' : ''}`,
            `  version:    ${e.version ?? 'not reported'}`,
            `  model:      ${e.model ?? 'not reported'}${e.modelRevision ? ` @ ${e.modelRevision}` : ''}`,
            `  max tokens: ${e.maxModelTokens ?? 'not reported'}`,
            ...e.problems.map((p) => `  note: ${p}`),
          ];
          io.stdout(`${lines.join('\n')}\n`);
        }
      });
  },
};
