// The "Download PDF" links: a page carries a marker until its PDFs are printed, then the links.
import { describe, expect, it } from 'vitest';
import { PDF_LINKS_MARKER, pdfLinksHtml, withPdfLinks } from '../../../collector/pdf/links.ts';

const page = `<main><h1>Run</h1>${PDF_LINKS_MARKER}<p>body</p></main>`;

describe('PDF links', () => {
  it('link both files under the base path', () => {
    const links = pdfLinksHtml('/repo/pr-1/', 'r-1', ['executive', 'report']);
    expect(links).toContain('href="/repo/pr-1/runs/r-1/executive.pdf"');
    expect(links).toContain('href="/repo/pr-1/runs/r-1/report.pdf"');
  });

  it('link only the files that exist', () => {
    const links = pdfLinksHtml('/', 'r-1', ['report']);
    expect(links).toContain('/runs/r-1/report.pdf');
    expect(links).not.toContain('executive.pdf');
  });

  it('replace the marker, and nothing else on the page', () => {
    const links = pdfLinksHtml('/', 'r-1', ['executive', 'report']);
    const linked = withPdfLinks(page, links);
    expect(linked).toBe(page.replace(PDF_LINKS_MARKER, links));
    expect(linked).not.toContain(PDF_LINKS_MARKER);
  });

  it('replace earlier links when a run is printed again, so a page never links twice', () => {
    const once = withPdfLinks(page, pdfLinksHtml('/', 'r-1', ['report']));
    const twice = withPdfLinks(once, pdfLinksHtml('/', 'r-1', ['executive', 'report']));
    expect(twice.match(/data-pdf-links/g)).toHaveLength(1);
    expect(twice).toContain('executive.pdf');
    expect(withPdfLinks(twice, pdfLinksHtml('/', 'r-1', ['executive', 'report']))).toBe(twice);
  });

  it('leave a page without the marker as it is', () => {
    expect(withPdfLinks('<p>no marker</p>', pdfLinksHtml('/', 'r-1', ['report']))).toBe('<p>no marker</p>');
  });
});
