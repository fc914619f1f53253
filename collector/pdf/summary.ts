// What `servebench pdf` and `servebench site build --pdf` print about the PDFs.
import type { PdfDone, PdfExportResult } from './export.ts';

export function pdfProgressLine(done: PdfDone): string {
  return `  ${done.cached ? 'cached ' : 'printed'} runs/${done.runId}/${done.kind}.pdf (${Math.round(done.bytes / 1024)} KB${done.cached ? '' : `, ${done.seconds.toFixed(1)} s`})\n`;
}

export function pdfSummary(result: PdfExportResult): string {
  const runs = new Set(result.pdfs.map((p) => p.runId)).size;
  const printed = result.pdfs.filter((p) => !p.cached);
  const lines = [
    `${result.pdfs.length} PDF${result.pdfs.length === 1 ? '' : 's'} for ${runs} of ${result.siteRuns} run${result.siteRuns === 1 ? '' : 's'}: ` +
      `${printed.length} printed${printed.length > 0 ? ` in ${printed.reduce((s, p) => s + p.seconds, 0).toFixed(1)} s` : ''}, ${result.pdfs.length - printed.length} from the cache` +
      (result.browserStartS === null ? '' : ` (browser started in ${result.browserStartS.toFixed(1)} s)`),
  ];
  if (result.missingPages.length > 0) lines.push(`  pages not found, so not printed: ${result.missingPages.join(', ')} (built by an older servebench? build the site again)`);
  if (result.refused.length > 0) lines.push(`  refused requests to other origins while printing: ${[...new Set(result.refused)].join(', ')}`);
  return `${lines.join('\n')}\n`;
}
