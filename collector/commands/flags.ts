// Commander glue shared by commands: repeatable options, and only the flags actually typed
// (so a default never hides a config-file value).
import type { Command } from 'commander';

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function cliFlags(command: Command): Record<string, unknown> {
  const options = command.opts();
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') given[key] = value;
  }
  if (Array.isArray(options.engine) && options.engine.length > 0) given.engine = options.engine;
  return given;
}
