// Runs a command as its own process to the end and returns its exit code and output.
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  out: string;
  err: string;
}

export function runChild(command: string, args: string[]): Promise<ChildResult> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (part: Buffer) => (out += part.toString()));
  child.stderr.on('data', (part: Buffer) => (err += part.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}
