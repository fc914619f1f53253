// `servebench pdf` and `servebench site build --pdf`: print the executive summary and the report of
// the chosen runs (select.ts) from a built site into executive.pdf and report.pdf beside the
// run's pages, link them from those pages (links.ts), and take unchanged pages' PDFs from the
// cache (cache.ts). The browser is started only when some page is not in the cache.
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Browser } from 'puppeteer';
import { ServebenchError } from '../errors.ts';
import { readRun } from '../store/read-run.ts';
import type { Run } from '../store/schema/index.ts';
import { pruneUnused } from '../store/prune-unused.ts';
import { pdfKey, readCachedPdf, sha256, writeCachedPdf } from './cache.ts';
import { findChromium, launchChromium } from './chromium.ts';
import { PDF_FILES, pdfLinksHtml, withPdfLinks, type PdfKind } from './links.ts';
import { openPrinter, type PaperFormat, type Printer } from './print.ts';
import { pdfRunIds, type PdfSelection } from './select.ts';
import { printTemplates } from './templates.ts';

/** The manifest every site build writes (site/pages/servebench-site.json.ts). */
const MANIFEST = 'servebench-site.json';

/** Each run's pages that become PDFs, by where they are under the run's directory. */
export const PDF_PAGES: Record<PdfKind, string> = { executive: 'executive/', report: '' };
const KINDS = Object.keys(PDF_PAGES) as PdfKind[];

export interface LocalServer {
  /** Where the site's base path is served, e.g. http://127.0.0.1:4000/repo/. */
  url: string;
  close(): Promise<void>;
}

export interface PdfExportOptions {
  /** The built site. */
  outDir: string;
  selection: PdfSelection;
  format: PaperFormat;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  /** Serves the built site under its base path on 127.0.0.1 (collector/commands/site.ts startPreview). */
  serve: (outDir: string, base: string) => Promise<LocalServer>;
  /** Called after each PDF, for progress. */
  onPdf?: (done: PdfDone) => void;
  /** Ctrl-C: stop before the next page; the PDFs written so far stay. */
  signal?: AbortSignal;
}

export interface PdfDone {
  runId: string;
  kind: PdfKind;
  file: string;
  bytes: number;
  cached: boolean;
  /** Time to print it (0 when it came from the cache). */
  seconds: number;
}

export interface PdfExportResult {
  /** Runs in the site. */
  siteRuns: number;
  pdfs: PdfDone[];
  /** Pages a selected run lacks (a site built before the page existed), as paths under the site. */
  missingPages: string[];
  /** Requests to other origins the pages made while printing, refused. */
  refused: string[];
  /** Seconds to start the browser, when it was started. */
  browserStartS: number | null;
  pruned: number;
}

function parseManifest(text: string | null): { base?: unknown; runs?: unknown } | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as { base?: unknown; runs?: unknown };
  } catch {
    return null;
  }
}

async function readManifest(outDir: string): Promise<{ base: string; runs: string[] }> {
  const manifest = parseManifest(await readFile(join(outDir, MANIFEST), 'utf8').catch(() => null));
  if (manifest === null || typeof manifest.base !== 'string' || !Array.isArray(manifest.runs)) {
    throw new ServebenchError('BAD_FLAG', `no built site in ${outDir} (no ${MANIFEST})`, 'build it first with `servebench site build`, or print while building with `servebench site build --pdf`');
  }
  return { base: manifest.base, runs: manifest.runs.filter((id): id is string => typeof id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(id)) };
}

export async function exportPdfs(options: PdfExportOptions): Promise<PdfExportResult> {
  const outDir = resolve(options.outDir);
  const { base, runs: ids } = await readManifest(outDir);
  const unknown = options.selection.named.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ServebenchError('RUN_NOT_FOUND', `the site in ${outDir} has no run ${unknown.join(', ')}`, 'name runs by the id the site lists (`servebench runs list`), and build the site over them first');
  }
  // The runs as published beside their pages (dist/runs/<id>/run.json), read as the site read them.
  const runs = new Map<string, Run>();
  for (const id of ids) runs.set(id, await readRun(join(outDir, 'runs', id)));
  const chosen = pdfRunIds([...runs.values()], options.selection);

  const result: PdfExportResult = { siteRuns: ids.length, pdfs: [], missingPages: [], refused: [], browserStartS: null, pruned: 0 };
  let browser: Browser | null = null;
  let printer: Printer | null = null;
  let server: LocalServer | null = null;
  const printerFor = async (): Promise<Printer> => {
    if (printer !== null) return printer;
    const executable = findChromium(options.env);
    server = await options.serve(outDir, base);
    const started = performance.now();
    browser = await launchChromium(executable);
    printer = await openPrinter(browser, new URL(server.url).origin);
    result.browserStartS = (performance.now() - started) / 1000;
    return printer;
  };
  try {
    for (const id of chosen) {
      if (options.signal?.aborted) {
        const done = result.pdfs.length;
        throw new ServebenchError('INTERRUPTED', `interrupted after ${done} PDF${done === 1 ? '' : 's'}`, 'the PDFs written so far are in place and cached; run again to print the rest');
      }
      const run = runs.get(id)!;
      const runDir = join(outDir, 'runs', id);
      const pages = new Map<PdfKind, string>();
      for (const kind of KINDS) {
        const file = join(runDir, PDF_PAGES[kind], 'index.html');
        const html = await readFile(file, 'utf8').catch(() => null);
        if (html === null) result.missingPages.push(relative(outDir, file).split(sep).join('/'));
        else pages.set(kind, html);
      }
      // Every page of the run links every PDF it gets, before any is printed: the PDFs show the pages as published.
      const links = pdfLinksHtml(base, id, [...pages.keys()]);
      for (const [kind, html] of pages) {
        const linked = withPdfLinks(html, links);
        pages.set(kind, linked);
        if (linked !== html) await writeFile(join(runDir, PDF_PAGES[kind], 'index.html'), linked);
      }
      for (const [kind, html] of pages) {
        const templates = printTemplates(run, kind);
        const openDetails = kind === 'executive';
        const key = await pdfKey(Buffer.from(html), { templates, format: options.format, openDetails });
        const file = join(runDir, PDF_FILES[kind]);
        let pdf = await readCachedPdf(options.cacheDir, key, outDir);
        const cached = pdf !== null;
        let seconds = 0;
        if (pdf === null) {
          const started = performance.now();
          const page = `runs/${id}/${PDF_PAGES[kind]}`;
          const pagePrinter = await printerFor();
          const printed = await pagePrinter.print({ url: new URL(page, server!.url).href, templates, format: options.format, openDetails }).catch((error: unknown) => {
            throw new ServebenchError('BAD_ENVIRONMENT', `printing ${page} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'check that --out holds a whole site from `servebench site build` and that the browser runs; then print again', { cause: error });
          });
          seconds = (performance.now() - started) / 1000;
          result.refused.push(...printed.refused);
          pdf = printed.pdf;
          await writeCachedPdf(options.cacheDir, key, pdf, await resourcesOf(printed.loaded, server!.url, outDir, page));
        }
        await writeFile(file, pdf);
        const done: PdfDone = { runId: id, kind, file, bytes: pdf.length, cached, seconds };
        result.pdfs.push(done);
        options.onPdf?.(done);
      }
    }
  } finally {
    await (printer as Printer | null)?.close();
    await (browser as Browser | null)?.close();
    await (server as LocalServer | null)?.close();
  }
  result.pruned = await pruneUnused(options.cacheDir);
  return result;
}

/**
 * The files under the site a printed page loaded, with their hashes, for the cache: the page's
 * own HTML is in the key already, and a URL that maps to no file (a 404) is left out.
 */
async function resourcesOf(loaded: string[], siteUrl: string, outDir: string, page: string): Promise<Record<string, string>> {
  const basePath = new URL(siteUrl).pathname;
  const resources: Record<string, string> = {};
  for (const url of loaded) {
    const path = decodeURIComponent(new URL(url).pathname);
    if (!path.startsWith(basePath)) continue;
    let rest = path.slice(basePath.length);
    if (rest === page) continue;
    if (rest === '' || rest.endsWith('/')) rest += 'index.html';
    const file = resolve(outDir, rest);
    if (!file.startsWith(outDir + sep)) continue;
    const bytes = await readFile(file).catch(() => null);
    if (bytes !== null) resources[rest] = sha256(bytes);
  }
  return resources;
}
