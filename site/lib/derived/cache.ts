// The derived-data cache: one JSON file per run holding everything the site derives from its raw
// records (charts, the responses sample, the CSV downloads), named by a hash of everything that
// is made from: run.json, the raw records, the code the worker runs and the Vega versions. A rebuild
// derives only the runs that are new or changed since the last build, and a change to the code
// derives everything again. A bundle is touched whenever a build uses it, and bundles no build
// has used for a week are removed.
//
// The cache is not trusted. Its directory lives in node_modules/.astro, which CI restores from a
// cache anyone with write access to that cache could have poisoned, and the pages inline a
// bundle's chart SVGs as raw HTML and write its downloads to paths named by its ids. So a bundle
// is used only when (1) its bytes match the sha256 written in front of them (a torn, damaged or
// naively edited file), and (2) what the site trusts in it holds up whatever the hash says (a
// tamperer can recompute a hash): the run and chart ids are safe path segments, and every chart
// SVG is markup the charts module writes (site/lib/charts/svg-markup.ts). Anything else is a
// miss: the run is derived again and the file replaced.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as vegaVersion } from 'vega';
import { version as vegaLiteVersion } from 'vega-lite';
import { RAW_FILE, RAW_FILE_GZ, RUN_FILE, type Run } from '../../../collector/store/schema/index.ts';
import { z } from 'zod';
import type { SiteChart } from '../report/site-charts.ts';
import { svgMarkupProblem } from '../charts/svg-markup.ts';
import type { FailureReason } from '../executive/recommendations.ts';
import type { Conversation, PromptSample } from '../report/responses.ts';

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
  /** Why the bundle in the cache was not used and the run was derived again, when it was there but failed verification. */
  rejected?: string;
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
  /** Why measured requests failed, per engine and phase, in the engines' own (cleaned) words. */
  failureReasons: FailureReason[];
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

const HEADER = 'servebench-derived sha256:';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A run id or chart id as the site uses it: one path segment, nothing that climbs out of a directory. */
const pathSegment = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);

/** What the site trusts in a bundle, beyond its hash: the ids it writes files under and the SVG it inlines. */
const TrustedParts = z.looseObject({
  key: z.string(),
  runId: pathSegment,
  run: z.looseObject({ id: pathSegment }),
  charts: z.array(z.looseObject({ id: pathSegment, svg: z.string(), specJson: z.string() })),
  prompts: z.array(z.unknown()),
  conversations: z.looseObject({ shown: z.array(z.unknown()), total: z.number() }),
  requestsCsv: z.string(),
  summaryCsv: z.string(),
  failureReasons: z.array(z.looseObject({ engine: z.string(), phase: z.string(), kind: z.string(), message: z.string(), count: z.number() })),
});

/** A bundle as it is stored: a line with the sha256 of the JSON after it, then the JSON. */
export function encodeBundle(bundle: BundleFile): Buffer {
  const body = Buffer.from(JSON.stringify(bundle));
  return Buffer.concat([Buffer.from(`${HEADER}${sha256(body)}\n`), body]);
}

/** The bundle in these bytes, or why it must not be used. */
export function decodeBundle(bytes: Buffer, key: string): { bundle: BundleFile } | { problem: string } {
  const newline = bytes.indexOf(0x0a);
  const header = newline === -1 ? '' : bytes.subarray(0, newline).toString('latin1');
  if (!header.startsWith(HEADER)) return { problem: 'it has no content hash (torn, or written by an older servebench)' };
  const body = bytes.subarray(newline + 1);
  if (sha256(body) !== header.slice(HEADER.length)) return { problem: 'its content does not match its hash' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'it is not JSON' };
  }
  const parsed = TrustedParts.safeParse(value);
  if (!parsed.success) return { problem: `it is not a bundle (${parsed.error.issues[0]?.path.join('.') || 'top level'})` };
  const bundle = parsed.data;
  if (bundle.key !== key) return { problem: 'it is filed under another key' };
  if (bundle.run.id !== bundle.runId) return { problem: 'its run id and its run do not agree' };
  for (const chart of bundle.charts) {
    const problem = svgMarkupProblem(chart.svg);
    if (problem !== null) return { problem: `the SVG of its chart ${chart.id} is not chart markup: ${problem}` };
  }
  return { bundle: bundle as unknown as BundleFile };
}

/**
 * The cached bundle under this key (touched, so pruning keeps it); null when there is none, or
 * `rejected` with the reason when there is one that fails verification (derive it again).
 */
export async function readBundle(cacheDir: string, key: string): Promise<{ file: string; runId: string } | { rejected: string } | null> {
  const file = join(cacheDir, `${key}.json`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    // Absent (or unreadable): derive it.
    return null;
  }
  const decoded = decodeBundle(bytes, key);
  if ('problem' in decoded) return { rejected: decoded.problem };
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
  return { file, runId: decoded.bundle.runId };
}

/** Writes a bundle atomically; returns its path. */
export async function writeBundle(cacheDir: string, runId: string, key: string, derived: RunDerived): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, `${key}.json`);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, encodeBundle({ key, runId, ...derived }));
  await rename(temporary, file);
  return file;
}

/** A bundle, read back by a page or the downloads, verified again: the file may have changed since the worker checked it. */
export async function loadBundle(file: string): Promise<BundleFile> {
  const decoded = decodeBundle(await readFile(file), basename(file, '.json'));
  if ('problem' in decoded) throw new Error(`the derived data in ${file} changed during the build and is not used: ${decoded.problem}. Build again.`);
  return decoded.bundle;
}

