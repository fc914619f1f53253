// The producer stamp written into every run.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export function toolVersion(): string {
  return packageJson.version;
}

/** The checkout's commit, or null outside a git checkout. */
export function gitSha(cwd: string = new URL('..', import.meta.url).pathname): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}
