// `servebench site build ARGS` as its own process with its own Astro cache, for the build tests.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../collector/cli.ts', import.meta.url));

export interface Built {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export function siteBuild(args: string[], cacheDir: string): Promise<Built> {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVEBENCH_CACHE_DIR: cacheDir };
  // Neither the caller's SERVEBENCH_* nor what Vitest puts in the environment (BASE_URL, MODE,
  // NODE_ENV=test…) reaches the build: the site must come out the same from any shell.
  for (const key of ['SERVEBENCH_RUNS', 'SERVEBENCH_BASE', 'SERVEBENCH_SITE', 'SERVEBENCH_SKIP_INVALID', 'BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV']) delete env[key];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'site', 'build', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

/** Every file under dir (absolute paths), sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
