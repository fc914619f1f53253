// A CommandIO that records what a command printed, for in-process CLI tests.
import type { CommandIO } from '../../collector/commands/command.ts';

export interface CapturedIO extends CommandIO {
  out: () => string;
  err: () => string;
  abort: () => void;
}

export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedIO {
  let out = '';
  let err = '';
  const controller = new AbortController();
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env,
    cwd,
    signal: controller.signal,
    out: () => out,
    err: () => err,
    abort: () => controller.abort(),
  };
}
