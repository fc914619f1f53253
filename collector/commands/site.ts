// `servebench site build|preview`: turn every run into a static report site (Astro, no client
// JavaScript), and look at it locally. The build reads runs with the collector's own reader
// (site/content.config.ts), so a run the CLI rejects stops the build the same way (exit 4).
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ServebenchError } from '../errors.ts';
import { pdfCacheDir } from '../pdf/cache.ts';
import { exportPdfs, type PdfExportResult } from '../pdf/export.ts';
import { parsePaper, type PaperFormat } from '../pdf/print.ts';
import type { PdfSelection } from '../pdf/select.ts';
import { pdfProgressLine, pdfSummary } from '../pdf/summary.ts';
import type { CommandIO, CommandModule } from './command.ts';

/** The servebench checkout or package: astro.config.mjs and site/ live here. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INVALID_RUNS = Symbol.for('servebench.site.invalidRuns');
const SKIPPED_RUNS = Symbol.for('servebench.site.skippedRuns');
/** Notes refused under --skip-invalid (site/lib/executive/notes-refused.ts): their runs were built without them. */
const LEFT_OUT_NOTES = Symbol.for('servebench.site.leftOutNotes');
// Set by site/lib/derived/pool.ts, which the build loads in its own module graph.
const CHART_POOL = Symbol.for('servebench.site.derivedPool');
// Set by site/integrations/run-downloads.ts once the share cards are written.
const CARD_STATS = Symbol.for('servebench.site.cardStats');

interface ChartStats {
  rendered: number;
  cached: number;
  /** Cached bundles that failed verification and were derived again. */
  rejected?: number;
  firstRejection?: string | null;
  workers: number;
  cacheDir: string;
}
const MANIFEST = 'servebench-site.json';
/**
 * What a rebuild keeps at the top of --out, though the build did not write it: GitHub Pages'
 * custom domain (CNAME) and its switch that turns Jekyll off (.nojekyll), which users put next to
 * the site, and the git checkout of a pages branch.
 */
export const KEPT_IN_OUT = ['CNAME', '.nojekyll', '.git'] as const;

export interface BuildFlags {
  runs?: string;
  out: string;
  base?: string;
  site?: string;
  skipInvalid?: boolean;
  /** Print PDFs after the build (the newest run of each series; every run with pdfAll). */
  pdf?: boolean;
  pdfAll?: boolean;
  paper?: string;
}

interface PreviewFlags {
  out: string;
  port: string;
}

export const site: CommandModule = {
  define(program: Command, io: CommandIO) {
    const group = program
      .command('site')
      .summary('build or preview the static report site')
      .description('Turns every run under a runs directory into a static site: a runs index, a report per run, answers side by side, trends and downloads. No JavaScript, no request to another origin.');

    group
      .command('build')
      .summary('build the report site from the runs')
      .description(
        'Builds the site with Astro into --out (default dist). Every run is validated with the same reader as `servebench runs validate`: ' +
          'an invalid run stops the build (exit 4) naming the file, the field and the reason, unless --skip-invalid is given, which builds ' +
          'the other runs and lists the skipped ones. --base and --site (or SERVEBENCH_BASE and SERVEBENCH_SITE) place the site under a ' +
          'path, e.g. --base /REPO/ --site https://ORG.github.io for GitHub Pages.',
      )
      .option('--runs <DIR>', 'directory that holds runs (default runs, or $SERVEBENCH_RUNS)')
      .option('--out <DIR>', 'directory the site is written to (replaced, but for CNAME, .nojekyll and .git)', 'dist')
      .option('--base <PATH>', 'path the site is served under (default /, or $SERVEBENCH_BASE)')
      .option('--site <URL>', 'origin the site is published at, for absolute sitemap URLs (or $SERVEBENCH_SITE)')
      .option('--skip-invalid', 'build the valid runs and list the invalid ones instead of stopping (or SERVEBENCH_SKIP_INVALID=1)')
      .option('--pdf', 'then print executive.pdf and report.pdf of the newest run of each series, as `servebench pdf` does')
      .option('--pdf-all', 'then print the PDFs of every run')
      .option('--paper <SIZE>', 'paper size of the PDFs: a4 or letter', 'a4')
      .action(async (flags: BuildFlags) => {
        // A bad --paper fails before the build, not after it.
        const paper = flags.pdf || flags.pdfAll ? parsePaper(flags.paper ?? 'a4') : null;
        await buildSite(flags, io);
        if (paper !== null) io.stdout(pdfSummary(await printSitePdfs(resolve(io.cwd, flags.out), { all: flags.pdfAll === true, named: [] }, paper, io)));
      });

    group
      .command('preview')
      .summary('serve the built site on 127.0.0.1')
      .description('Serves the built site (--out, default dist) on 127.0.0.1, under the base path it was built for, until Ctrl-C.')
      .option('--out <DIR>', 'directory the site was built into', 'dist')
      .option('--port <N>', 'port to listen on (0 = any free port)', '4321')
      .action(async (flags: PreviewFlags) => previewAction(flags, io));
  },
};

// ---------------------------------------------------------------------------------------------
// build

/** '/', '/repo/', '/repo/pr-1/'. Rejects anything that is not a plain path. */
export function parseBase(value: string): string {
  const trimmed = value.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '/';
  const segments = trimmed.split('/');
  if (!segments.every((s) => /^[A-Za-z0-9._~-]+$/.test(s) && s !== '.' && s !== '..')) {
    throw new ServebenchError(
      'BAD_FLAG',
      `--base "${value}" is not a URL path (letters, digits, ., _, ~ and - between slashes)`,
      'give the path the site is served under, e.g. --base /servebench/ or --base /servebench/pr-12/',
    );
  }
  return `/${trimmed}/`;
}

export function parseSite(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ServebenchError('BAD_FLAG', `--site "${value}" is not a URL`, 'give the origin the site is published at, e.g. --site https://org.github.io');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ServebenchError('BAD_FLAG', `--site "${value}" is not an http(s) URL`, 'give the origin the site is published at, e.g. --site https://org.github.io');
  }
  return url.origin;
}

interface SkippedRunLike {
  name: string;
  reason: string;
}

/** Builds the site; also used by the demo. */
export async function buildSite(flags: BuildFlags, io: CommandIO): Promise<void> {
  const runsDir = resolve(io.cwd, flags.runs ?? (io.env['SERVEBENCH_RUNS']?.trim() || 'runs'));
  const outDir = resolve(io.cwd, flags.out);
  const base = parseBase(flags.base ?? io.env['SERVEBENCH_BASE'] ?? '/');
  const siteValue = flags.site ?? io.env['SERVEBENCH_SITE'];
  const siteUrl = siteValue === undefined || siteValue.trim() === '' ? undefined : parseSite(siteValue);
  const skipInvalid = flags.skipInvalid === true || /^(1|true|yes)$/i.test(io.env['SERVEBENCH_SKIP_INVALID']?.trim() ?? '');
  // Astro replaces what is in --out: never the project, the working directory or the runs.
  const within = (dir: string, parent: string): boolean => dir === parent || dir.startsWith(parent.endsWith(sep) ? parent : parent + sep);
  if ([PROJECT_ROOT.replace(/[\\/]$/, ''), resolve(io.cwd), runsDir].some((dir) => within(dir, outDir))) {
    throw new ServebenchError('BAD_FLAG', `--out ${outDir} holds the runs, the project or the working directory, which the build would overwrite`, 'build into a directory of its own, e.g. --out dist');
  }
  // The build replaces what is in --out but KEPT_IN_OUT: only a directory that is empty (but
  // for those) or holds an earlier build, whose manifest says so.
  const existing = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw new ServebenchError('BAD_ENVIRONMENT', `--out ${outDir} cannot be used as the site directory: ${error.code ?? error.message}`, 'give a directory the build can create or replace, e.g. --out dist', { cause: error });
  });
  const replaced = existing.filter((name) => !(KEPT_IN_OUT as readonly string[]).includes(name));
  if (replaced.length > 0 && !existing.includes(MANIFEST)) {
    throw new ServebenchError(
      'BAD_FLAG',
      `--out ${outDir} is not empty and holds no servebench site, and the build would delete what is in it`,
      `build into a new or empty directory, or into one an earlier \`servebench site build\` wrote (it keeps ${KEPT_IN_OUT.join(', ')} there)`,
    );
  }
  const runCount = (await readdir(runsDir).catch(() => null))?.length;
  if (runCount === undefined) io.stderr(`servebench: no runs directory at ${runsDir}: the site will have no runs.\n`);

  // astro.config.mjs and site/content.config.ts read these, so `npx astro build` behaves the same.
  const env: Record<string, string | undefined> = {
    SERVEBENCH_RUNS: runsDir,
    SERVEBENCH_BASE: base,
    SERVEBENCH_SITE: siteUrl,
    SERVEBENCH_SKIP_INVALID: skipInvalid ? '1' : undefined,
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const shared = globalThis as Record<symbol, unknown>;
  delete shared[INVALID_RUNS];
  delete shared[SKIPPED_RUNS];
  delete shared[LEFT_OUT_NOTES];
  delete shared[CHART_POOL];
  delete shared[CARD_STATS];
  for (const [key, value] of Object.entries(env)) setEnv(key, value);
  const started = performance.now();
  // Astro writes its page bundle to <cwd>/.astro/.prerender when --out is outside the working
  // directory, so two builds from one directory would overwrite each other's bundle mid-build.
  // Each build gets a working directory of its own, inside the project so that the bundle's
  // imports of packages still resolve.
  const savedCwd = process.cwd();
  const scratch = join(PROJECT_ROOT, 'node_modules', '.astro');
  await mkdir(scratch, { recursive: true });
  const buildCwd = await mkdtemp(join(scratch, 'build-'));
  process.chdir(buildCwd);
  try {
    // Astro would empty --out itself, sparing nothing (its .git exception is a set of letters).
    for (const name of replaced) await rm(join(outDir, name), { recursive: true, force: true });
    const { build } = await import('astro');
    await build({
      root: PROJECT_ROOT,
      configFile: 'astro.config.mjs',
      outDir,
      logLevel: 'error',
      mode: 'production',
      vite: { build: { emptyOutDir: false } },
    });
  } catch (error) {
    const invalid = shared[INVALID_RUNS];
    if (invalid instanceof Error) {
      const [first, ...rest] = invalid.message.split('\n');
      throw new ServebenchError('RUN_INVALID', [first, ...rest.filter((line) => !line.trimStart().startsWith('hint: restore or remove'))].join('\n'), 'fix or remove what is named above, or build with --skip-invalid (it leaves out an invalid run, and builds a run with invalid notes without them)', {
        cause: error,
      });
    }
    throw error;
  } finally {
    process.chdir(savedCwd);
    await rm(buildCwd, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) setEnv(key, value);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const skipped = (shared[SKIPPED_RUNS] as SkippedRunLike[] | undefined) ?? [];
  for (const s of skipped) io.stderr(`servebench: skipped invalid run ${s.name}:\n  ${s.reason.replace(/\n/g, '\n  ')}\n`);
  const leftOutNotes = (shared[LEFT_OUT_NOTES] as (SkippedRunLike & { dir: string })[] | undefined) ?? [];
  for (const n of leftOutNotes) io.stderr(`servebench: built run ${n.name} without its notes, ${join(n.dir, 'notes.mdx')}:\n  ${n.reason.replace(/\n/g, '\n  ')}\n`);
  const manifest = await readFile(join(outDir, MANIFEST), 'utf8')
    .then((t) => JSON.parse(t) as { runs?: string[] })
    .catch(() => ({ runs: [] as string[] }));
  const count = manifest.runs?.length ?? 0;
  const charts = (shared[CHART_POOL] as { stats?: ChartStats } | undefined)?.stats;
  const cards = shared[CARD_STATS] as { drawn: number; cached: number } | undefined;
  if (charts?.rejected) {
    io.stderr(
      `servebench: ${charts.rejected} cached chart bundle${charts.rejected === 1 ? '' : 's'} in ${charts.cacheDir} failed verification and ${charts.rejected === 1 ? 'was' : 'were'} derived again ` +
        `(first: ${charts.firstRejection}).\n  hint: if no build was killed mid-write, check who else can write that directory (a restored CI cache?).\n`,
    );
  }
  io.stdout(
    `site built in ${seconds} s: ${count} run${count === 1 ? '' : 's'} from ${runsDir}` +
      (skipped.length > 0 ? `, ${skipped.length} invalid run${skipped.length === 1 ? '' : 's'} skipped` : '') +
      (leftOutNotes.length > 0 ? `, ${leftOutNotes.length} built without ${leftOutNotes.length === 1 ? 'its' : 'their'} invalid notes` : '') +
      `\n  written to  ${outDir}\n` +
      (charts
        ? `  charts:     ${charts.rendered} run${charts.rendered === 1 ? '' : 's'} rendered on ${charts.workers} worker thread${charts.workers === 1 ? '' : 's'}, ${charts.cached} from the cache in ${charts.cacheDir}\n`
        : '') +
      (cards ? `  share cards: ${cards.drawn} drawn, ${cards.cached} from the cache\n` : '') +
      (siteUrl ? `  published at ${siteUrl}${base}\n` : `  served under ${base}\n`) +
      `  look at it:  servebench site preview --out ${flags.out}\n`,
  );
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

// ---------------------------------------------------------------------------------------------
// preview

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/** A static file server over a built site, under its base path, on 127.0.0.1. */
export async function startPreview(outDir: string, base: string, port: number): Promise<PreviewServer> {
  const root = resolve(outDir);
  const send = async (res: ServerResponse, status: number, file: string | null, head: boolean): Promise<void> => {
    const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
    if (file === null) {
      res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end(head ? undefined : `${status === 404 ? 'not found' : 'error'}\n`);
      return;
    }
    const size = (await stat(file)).size;
    res.writeHead(status, { ...headers, 'content-type': contentType(file), 'content-length': String(size) });
    if (head) {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };
  const notFound = async (res: ServerResponse, head: boolean): Promise<void> => {
    const page = join(root, '404.html');
    await send(res, 404, (await isFile(page)) ? page : null, head);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      await send(res, 400, null, head);
      return;
    }
    if (!path.startsWith(base)) {
      // The site lives under its base: send the root (and the base without its slash) there.
      if (path === '/' || `${path}/` === base) {
        res.writeHead(302, { location: base }).end();
        return;
      }
      await notFound(res, head);
      return;
    }
    const rest = path.slice(base.length);
    if (rest.split('/').some((segment) => segment === '..') || rest.includes('\0') || rest.includes('\\')) {
      await notFound(res, head);
      return;
    }
    const target = resolve(root, `.${sep}${rest}`);
    if (target !== root && !target.startsWith(root + sep)) {
      await notFound(res, head);
      return;
    }
    if (await isDirectory(target)) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { location: `${path}/` }).end();
        return;
      }
      const index = join(target, 'index.html');
      if (await isFile(index)) await send(res, 200, index, head);
      else await notFound(res, head);
      return;
    }
    if (await isFile(target)) await send(res, 200, target, head);
    else await notFound(res, head);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}${base}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Prints the chosen runs' PDFs from the site built in outDir, served by the preview server on a free port. */
export function printSitePdfs(outDir: string, selection: PdfSelection, format: PaperFormat, io: CommandIO): Promise<PdfExportResult> {
  return exportPdfs({
    outDir,
    selection,
    format,
    cacheDir: pdfCacheDir(io.env),
    env: io.env,
    serve: (dir, base) => startPreview(dir, base, 0),
    onPdf: (done) => io.stderr(pdfProgressLine(done)),
    signal: io.signal,
  });
}

async function previewAction(flags: PreviewFlags, io: CommandIO): Promise<void> {
  const outDir = resolve(io.cwd, flags.out);
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServebenchError('BAD_FLAG', `--port "${flags.port}" is not a port number`, 'give a number from 0 to 65535 (0 picks a free port)');
  }
  if (!(await isFile(join(outDir, 'index.html')))) {
    throw new ServebenchError('BAD_FLAG', `no built site in ${outDir}`, 'build it first with `servebench site build` (or `npm run build`)');
  }
  // The build records the base it was made for; the preview serves it there so links resolve.
  const base = await readFile(join(outDir, MANIFEST), 'utf8')
    .then((text) => parseBase(String((JSON.parse(text) as { base?: unknown }).base ?? '/')))
    .catch(() => '/');
  let server: PreviewServer;
  try {
    server = await startPreview(outDir, base, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ServebenchError('BAD_FLAG', `port ${port} on 127.0.0.1 is in use`, 'pick another with --port, or --port 0 for any free one');
    throw error;
  }
  io.stdout(`previewing ${outDir} at ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolveStop) => {
    if (io.signal.aborted) resolveStop();
    else io.signal.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await server.close();
  io.stdout('preview stopped\n');
}
