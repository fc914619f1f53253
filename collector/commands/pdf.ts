// `servebench pdf [RUN…] [--all]`: print runs' executive summaries and reports from a built site
// to executive.pdf and report.pdf beside their pages (collector/pdf/). By default the newest run
// of each series gets PDFs (a site must stay under GitHub Pages' 1 GB); named runs are added,
// --all prints every run.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parsePaper } from '../pdf/print.ts';
import { pdfSummary } from '../pdf/summary.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { printSitePdfs } from './site.ts';

interface PdfFlags {
  out: string;
  all?: boolean;
  paper: string;
}

export const pdf: CommandModule = {
  define(program: Command, io: CommandIO) {
    program
      .command('pdf')
      .summary("print runs' executive summaries and reports to PDF")
      .description(
        'Prints the executive summary and the report of runs in a built site (--out, default dist) to executive.pdf and report.pdf in the ' +
          "run's page directory, and links them from its pages. By default the newest run of each series (engine and scenario, as on the " +
          'trends page) gets PDFs; runs named here are added, and --all prints every run. Pages whose HTML and files are unchanged since ' +
          'they were last printed come from the cache. Needs Chromium or Chrome: `npm run setup:browser`, or PUPPETEER_EXECUTABLE_PATH.',
      )
      .argument('[run...]', 'run ids to print as well as the newest of each series')
      .option('--out <DIR>', 'the built site', 'dist')
      .option('--all', 'print every run in the site')
      .option('--paper <SIZE>', 'paper size: a4 or letter', 'a4')
      .action(async (named: string[], flags: PdfFlags) => {
        const result = await printSitePdfs(resolve(io.cwd, flags.out), { all: flags.all === true, named }, parsePaper(flags.paper), io);
        io.stdout(pdfSummary(result));
      });
  },
};
