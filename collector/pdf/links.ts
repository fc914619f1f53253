// A run's pages link its PDFs once they exist. The pages are built before any PDF is printed, and
// `servebench pdf RUN` may print a run's PDFs long after the build, so a page carries a marker
// (site/components/PdfLinks.astro) and the PDF step replaces it with the links to the files it
// wrote. A page with no PDFs keeps its marker, an HTML comment: nothing shows, nothing dangles.

export const PDF_LINKS_MARKER = '<!--servebench:pdf-links-->';

export type PdfKind = 'executive' | 'report';

/** The file each kind is written to, beside the run's pages. */
export const PDF_FILES: Record<PdfKind, string> = { executive: 'executive.pdf', report: 'report.pdf' };

const LABELS: Record<PdfKind, string> = { executive: 'Executive summary', report: 'Full report' };

/** The links as the pages show them; `base` is the site's base path, `runId` a URL-safe run id. */
export function pdfLinksHtml(base: string, runId: string, kinds: readonly PdfKind[]): string {
  const dir = `${base}runs/${encodeURIComponent(runId)}/`;
  const links = kinds.map((kind) => `<a href="${dir}${PDF_FILES[kind]}" download>${LABELS[kind]} (PDF)</a>`);
  // Inline: pages put the marker among other links, inside a paragraph.
  return `<span class="pdf-links" data-pdf-links>Download PDF: ${links.join(' · ')}</span>`;
}

/** The page with its marker replaced by the links; a page already linked is given its links again. */
export function withPdfLinks(html: string, links: string): string {
  if (html.includes('data-pdf-links')) return html.replace(/<span class="pdf-links" data-pdf-links>.*?<\/span>/gs, links);
  return html.split(PDF_LINKS_MARKER).join(links);
}
