// The derived-data cache: one JSON file per run holding everything the site derives from its raw
// records (charts, the responses sample, the CSV downloads), named by a hash of everything that
// is made from: run.json, the raw records, the code the worker runs and the Vega versions. A rebuild
// derives only the runs that are new or changed since the last build, and a change to the code
// derives everything again. A bundle is touched whenever a build uses it, and bundles no build
// has used for a week are removed.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as vegaVersion } from 'vega';
import { version as vegaLiteVersion } from 'vega-lite';
import { RAW_FILE, RAW_FILE_GZ, RUN_FILE, type Run } from '../../../collector/store/schema/index.ts';
import type { SiteChart } from '../charts-adapter.ts';
import type { Conversation, PromptSample } from '../responses.ts';

/** What the build asks a worker for. */
export interface BundleJob {
  /** The run directory. */
  dir: string;
  /** Where bundles are kept (under Astro's cacheDir). */
  cacheDir: string;
}

/** What a worker answers: where the run's bundle is. */
export interface BundleResult {
  dir: string;
  runId: string;
  file: string;
  /** True when the bundle was already in the cache. */
  cached: boolean;
}

/** Everything the pages and downloads of a run need beyond the digest the build keeps of it. */
export interface RunDerived {
  /** The whole run, as the reader returns it (upgraded and validated). */
  run: Run;
  charts: SiteChart[];
  prompts: PromptSample[];
  conversations: { shown: Conversation[]; total: number };
  requestsCsv: string;
  summaryCsv: string;
}

export interface BundleFile extends RunDerived {
  key: string;
  runId: string;
}

/**
 * Every source file a bundle is made by: the worker and everything it imports, followed through
 * relative imports (packages are covered by their versions). A change to any of them makes every
 * bundle stale.
 */
export async function derivedCodeFiles(entry = fileURLToPath(new URL('./worker.ts', import.meta.url))): Promise<string[]> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) pending.push(resolve(dirname(file), match[1]!));
  }
  return [...seen].sort();
}

let codeHash: Promise<string> | undefined;

function siteCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256').update(`vega ${vegaVersion}\nvega-lite ${vegaLiteVersion}\n`);
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    for (const file of await derivedCodeFiles()) hash.update(`${relative(root, file)}\n`).update(await readFile(file));
    return hash.digest('hex');
  })();
  return codeHash;
}

/** The hash a run's bundle is filed under. */
export async function bundleKey(runDir: string): Promise<string> {
  const hash = createHash('sha256').update(await siteCodeHash());
  for (const name of [RUN_FILE, RAW_FILE, RAW_FILE_GZ]) {
    const bytes = await readFile(join(runDir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    hash.update(`\n${name} ${bytes === null ? 'absent' : bytes.length}\n`);
    if (bytes !== null) hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 32);
}

/** The cached bundle under this key (touched, so pruning keeps it), or null. */
export async function readBundle(cacheDir: string, key: string): Promise<{ file: string; runId: string } | null> {
  const file = join(cacheDir, `${key}.json`);
  try {
    const bundle = JSON.parse(await readFile(file, 'utf8')) as BundleFile;
    if (bundle.key !== key || typeof bundle.run !== 'object' || !Array.isArray(bundle.charts) || typeof bundle.requestsCsv !== 'string') return null;
    const now = new Date();
    await utimes(file, now, now);
    return { file, runId: bundle.runId };
  } catch {
    // Absent, or torn by a build that was killed mid-write: derive it again.
    return null;
  }
}

/** Writes a bundle atomically; returns its path. */
export async function writeBundle(cacheDir: string, runId: string, key: string, derived: RunDerived): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, `${key}.json`);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, JSON.stringify({ key, runId, ...derived } satisfies BundleFile));
  await rename(temporary, file);
  return file;
}

/** A bundle, read back by a page or the downloads. */
export async function loadBundle(file: string): Promise<BundleFile> {
  return JSON.parse(await readFile(file, 'utf8')) as BundleFile;
}

/** How long a bundle no build uses is kept. */
export const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

/** Removes bundles (and torn temporary files) no build has used for KEEP_UNUSED_MS; returns how many. */
export async function pruneBundles(cacheDir: string, now = Date.now()): Promise<number> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const file = join(cacheDir, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile() || now - info.mtimeMs < KEEP_UNUSED_MS) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}
