// Prints built pages to PDF in one headless browser, one tab reused for every page. Pages are
// loaded from the local server over the built site (their links are absolute under the base
// path, which file:// would not resolve); any request to another origin is refused and
// reported, so a PDF can never depend on, or tell anyone about, something off the machine.
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { ServebenchError } from '../errors.ts';
import type { PrintTemplates } from './templates.ts';

export type PaperFormat = 'A4' | 'Letter';

/** --paper a4|letter. */
export function parsePaper(value: string): PaperFormat {
  const paper = value.trim().toLowerCase();
  if (paper === 'a4') return 'A4';
  if (paper === 'letter') return 'Letter';
  throw new ServebenchError('BAD_FLAG', `--paper "${value}" is not a paper size servebench prints on`, 'give --paper a4 or --paper letter');
}

export interface PrintJob {
  /** Absolute URL of the page on the local server. */
  url: string;
  templates: PrintTemplates;
  format: PaperFormat;
  /**
   * Print collapsed sections open: the executive summary folds its evidence, which a PDF reader
   * cannot unfold. The report folds bulk (the scenario as JSON, chart data) that its downloads hold.
   */
  openDetails: boolean;
}

export interface Printed {
  pdf: Buffer;
  /** Every URL the page requested from the local server (the page itself first). */
  loaded: string[];
  /** Requests refused because they left the local server. */
  refused: string[];
}

export interface Printer {
  print(job: PrintJob): Promise<Printed>;
  close(): Promise<void>;
}

/** A printer over an open browser, allowing requests to `origin` only (and data: URLs). */
export async function openPrinter(browser: Browser, origin: string): Promise<Printer> {
  const page: Page = await browser.newPage();
  await page.setRequestInterception(true);
  let loaded: string[] = [];
  let refused: string[] = [];
  page.on('request', (request: HTTPRequest) => {
    const url = request.url();
    if (url.startsWith('data:')) return void request.continue();
    if (new URL(url).origin === origin) {
      loaded.push(url);
      return void request.continue();
    }
    refused.push(url);
    return void request.abort('blockedbyclient');
  });
  return {
    async print(job) {
      loaded = [];
      refused = [];
      const response = await page.goto(job.url, { waitUntil: 'load' });
      if (response === null || !response.ok()) throw new Error(`${job.url} answered ${response?.status() ?? 'nothing'}`);
      // Web fonts (none today) are ready before printing, and the page is marked as printed by
      // servebench (site/styles/print.css reads the class: the header carries the SIMULATED notice
      // on every page, so the page's own banner would say it twice on the first).
      await page.evaluate("document.fonts.ready.then(() => { document.documentElement.classList.add('servebench-pdf'); })");
      // On paper nothing can be clicked open: the evidence folded under an answer prints open.
      if (job.openDetails) await page.evaluate("for (const d of document.querySelectorAll('details')) d.open = true;");
      const pdf = await page.pdf({
        format: job.format,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: job.templates.headerTemplate,
        footerTemplate: job.templates.footerTemplate,
        margin: { top: job.templates.marginTop, bottom: '16mm', left: '12mm', right: '12mm' },
      });
      return { pdf: Buffer.from(pdf), loaded: [...loaded], refused: [...refused] };
    },
    async close() {
      await page.close().catch(() => undefined);
    },
  };
}
