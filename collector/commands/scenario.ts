// `servebench scenario init`: write an annotated example scenario to start from.
import { copyFile, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ServebenchError } from '../errors.ts';
import type { CommandIO, CommandModule } from './command.ts';

export const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
export const PRESETS = ['quick', 'standard', 'stress', 'demo'] as const;

export const scenario: CommandModule = {
  define(program: Command, io: CommandIO) {
    const group = program
      .command('scenario')
      .summary('start a scenario file')
      .description(`Scenario files are YAML; the presets (${PRESETS.join(', ')}) ship in ${SCENARIOS_DIR} and run with --preset NAME.`);
    group
      .command('init')
      .summary('write an annotated example scenario')
      .argument('[file]', 'where to write it', 'scenario.yaml')
      .option('--force', 'overwrite an existing file')
      .action(async (file: string, options: { force?: boolean }) => {
        const target = resolve(io.cwd, file);
        const exists = await access(target).then(
          () => true,
          () => false,
        );
        if (exists && !options.force) {
          throw new ServebenchError('BAD_FLAG', `${target} already exists, so it was left alone`, 'give another file name, or --force to overwrite it');
        }
        await copyFile(`${SCENARIOS_DIR}example.yaml`, target);
        io.stdout(`wrote ${target}: edit the engines, then run \`servebench collect --config ${file}\` (add --dry-run to see the plan first)\n`);
      });
  },
};
