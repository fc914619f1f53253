// A repository as a workflow's runner sees it after actions/checkout: a clone of an "origin"
// (a bare repository on disk, reached by file:// like a remote) holding one sample run, with the
// project's code and installed node_modules linked in (what `npm install` would have put there).
import { execFileSync } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_RUN = '20261123-203201-demo-2238';
const LINKED = ['package.json', 'node_modules', 'collector', 'site', 'astro.config.mjs', '.puppeteerrc.cjs', 'tsconfig.json'];

export interface Sandbox {
  root: string;
  /** file:// URL of the bare origin repository. */
  origin: string;
  originDir: string;
  home: string;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv(cwd) });
}

function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

/** An origin whose main branch holds runs/<the sample run>. */
export async function makeSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'servebench-workflow-'));
  const home = join(root, 'home');
  await mkdir(home);
  const originDir = join(root, 'origin.git');
  const seed = join(root, 'seed');
  await mkdir(seed);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', originDir], { env: gitEnv(home) });
  git(seed, 'init', '-q', '-b', 'main');
  await cp(join(PROJECT, 'runs', SAMPLE_RUN), join(seed, 'runs', SAMPLE_RUN), { recursive: true });
  git(seed, 'add', 'runs');
  git(seed, 'commit', '-q', '-m', 'sample run');
  const origin = `file://${originDir}`;
  git(seed, 'push', '-q', origin, 'main');
  return { root, origin, originDir, home };
}

/** Adds a gh-pages branch to the origin with the given files (path → content). */
export async function addPagesBranch(sandbox: Sandbox, files: Record<string, string>): Promise<void> {
  const dir = await mkdtemp(join(sandbox.root, 'gh-pages-'));
  git(dir, 'init', '-q', '-b', 'gh-pages');
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await appendFile(join(dir, path), content);
  }
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'previews');
  git(dir, 'push', '-q', sandbox.origin, 'gh-pages');
}

/** actions/checkout of branch main into a new workspace; returns the workspace and its RUNNER_TEMP. */
export async function checkout(sandbox: Sandbox, name: string): Promise<{ workspace: string; temp: string }> {
  const workspace = join(sandbox.root, name);
  const temp = join(sandbox.root, `${name}-temp`);
  await mkdir(temp);
  git(sandbox.root, 'clone', '-q', '-b', 'main', sandbox.origin, workspace);
  for (const file of LINKED) await symlink(join(PROJECT, file), join(workspace, file));
  // Installed, not committed: no step's `git add` may pick them up.
  await appendFile(join(workspace, '.git', 'info', 'exclude'), LINKED.map((f) => `/${f}\n`).join(''));
  return { workspace, temp };
}

/** What every job's shell gets from the test rather than from GitHub. */
export function baseEnv(sandbox: Sandbox, extraPath: string[] = []): Record<string, string> {
  return {
    // setup-node's Node: npm scripts and npx run the Node 24 the project pins.
    PATH: [...extraPath, join(PROJECT, 'node_modules', '.bin'), process.env['PATH'] ?? ''].join(':'),
    HOME: sandbox.home,
    GIT_CONFIG_NOSYSTEM: '1',
    // The test's own Astro cache, so it shares nothing with other builds on this machine.
    SERVEBENCH_CACHE_DIR: join(sandbox.root, 'astro-cache'),
  };
}
