#!/usr/bin/env node
// Entry point: parse argv, dispatch to a command module, map errors to exit codes.
// This is the only place that decides an exit code.
import { Command, CommanderError } from 'commander';
import { pathToFileURL } from 'node:url';
import { EXIT, isServebenchError } from './errors.ts';
import type { CommandIO, CommandModule } from './commands/command.ts';
import { toolVersion } from './version.ts';
import { createOutputGuard } from './output/guard.ts';
import { collect } from './commands/collect.ts';
import { engines } from './commands/engines.ts';
import { runs } from './commands/runs.ts';
import { sim } from './commands/sim.ts';
import { demo } from './commands/demo.ts';
import { scenario } from './commands/scenario.ts';
import { race } from './commands/race.ts';
import { site } from './commands/site.ts';
import { pdf } from './commands/pdf.ts';
import { diff } from './commands/diff.ts';
import { noise } from './commands/noise.ts';

const COMMANDS: CommandModule[] = [demo, collect, race, engines, runs, diff, noise, scenario, sim, site, pdf];

export async function main(argv: string[], raw: CommandIO): Promise<number> {
  // Everything printed, error messages included, passes the guard: secrets out, escapes out.
  const guard = createOutputGuard();
  const io: CommandIO = {
    ...raw,
    stdout: (t) => raw.stdout(guard.clean(t)),
    stderr: (t) => raw.stderr(guard.clean(t)),
    protect: (secrets) => guard.protect(secrets),
  };
  const program = new Command('servebench')
    .description('Measure LLM inference servers and publish what was measured.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const command of COMMANDS) command.define(program, io);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CommandIO): number {
  if (error instanceof CommanderError) {
    // help and version exit 0; everything else commander rejects is a usage error
    if (error.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  if (isServebenchError(error)) {
    io.stderr(`servebench: ${error.message}\n  hint: ${error.hint}\n  (${error.code}, exit ${error.exitCode})\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`servebench: internal error, please report it with the output below.\n${text}\n`);
  return EXIT.internal;
}

/** Process wiring: real stdio, env, and Ctrl-C → abort signal (a second Ctrl-C exits at once). */
export async function run(): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });
  // A supervisor (the demo, Kubernetes) stops us with SIGTERM: treat it as the first Ctrl-C.
  process.once('SIGTERM', () => controller.abort());
  const io: CommandIO = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    ...(process.stderr.isTTY ? { tty: process.stderr } : {}),
  };
  process.exitCode = await main(process.argv.slice(2), io);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
