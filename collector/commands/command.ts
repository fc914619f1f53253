// The shape every command file exports. cli.ts only dispatches: it builds the
// program from these modules and maps thrown ServebenchErrors to exit codes.
import type { Command } from 'commander';

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
  /** The terminal stderr is, when it is one (live progress redraws on it). */
  tty?: NodeJS.WriteStream;
  /**
   * Secrets to redact from everything printed from now on (stdout, stderr, error messages).
   * main() provides it; a command calls it as soon as it knows the secrets.
   */
  protect?: (secrets: Iterable<string>) => void;
}

export interface CommandModule {
  /** Adds the command (and its sub-commands) to the program. Actions throw ServebenchError on failure. */
  define(program: Command, io: CommandIO): void;
}
