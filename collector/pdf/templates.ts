// The header and footer Chromium prints on every PDF page: the run's name and date on top (and
// the SIMULATED disclaimer when an engine was simulated, so no page of a forwarded PDF can be
// read without it), the page number below. Chromium renders these apart from the page, with no
// stylesheet, so their styles are inline; the run's name is engine- and user-supplied text and
// is escaped like any other.
import type { Run } from '../store/schema/index.ts';
import type { PdfKind } from './links.ts';

export const SIMULATED_NOTICE = "SIMULATED: these numbers describe servebench's simulator, not a real engine.";

/**
 * What a run's pages say about simulated engines, in the site's words (SimulatedBanner.astro):
 * null when every engine is real, the notice when all are simulated, and the simulated ones by
 * name when only some are, since the others' numbers are real.
 */
export function simulatedNotice(engines: readonly { label: string; simulated: boolean }[]): string | null {
  const labels = engines.filter((e) => e.simulated).map((e) => plainText(e.label));
  if (labels.length === 0) return null;
  if (labels.length === engines.length) return SIMULATED_NOTICE;
  const names = labels.join(', ');
  const named = names.length > 80 ? `${names.slice(0, 79)}…` : names;
  return labels.length === 1
    ? `SIMULATED: ${named} is servebench's simulator, not a real engine; the other engines are real.`
    : `SIMULATED: ${named} are servebench's simulator, not real engines; the other engines are real.`;
}

const KIND_TITLES: Record<PdfKind, string> = { executive: 'Executive summary', report: 'Run report' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Control characters (a hostile run name's escapes, newlines) become spaces. */
function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** `2026-11-23 20:32 UTC`, as the pages write dates (site/lib/format.ts). */
function utcMinute(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface PrintTemplates {
  headerTemplate: string;
  footerTemplate: string;
  /** Top margin, taller when the header carries the disclaimer. */
  marginTop: string;
}

// Single quotes only: these go inside style="…". The side padding matches the page margins.
const BOX = "box-sizing: border-box; width: 100%; padding: 0 12mm; font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 8pt; color: #333;";
const ROW = 'display: flex; justify-content: space-between; gap: 6mm;';

export function printTemplates(run: Pick<Run, 'id' | 'name' | 'startedAt' | 'engines'>, kind: PdfKind): PrintTemplates {
  const simulated = simulatedNotice(run.engines);
  const name = escapeHtml(plainText(run.name) || run.id);
  const top =
    `<div style="${ROW}"><span style="overflow: hidden; text-overflow: ellipsis; white-space: nowrap;">${KIND_TITLES[kind]}: <b>${name}</b></span>` +
    `<span style="white-space: nowrap;">${escapeHtml(utcMinute(run.startedAt))}</span></div>`;
  const notice = simulated !== null
    ? `<div style="margin-top: 1.5mm; padding: 1mm 2mm; border: 0.4mm solid #8a5a00; background: #fff4d6; color: #5c3d00; font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact;">${escapeHtml(simulated)}</div>`
    : '';
  return {
    headerTemplate: `<div style="${BOX} padding-top: 5mm;">${top}${notice}</div>`,
    footerTemplate: `<div style="${BOX}"><div style="${ROW}"><span>servebench · run ${escapeHtml(run.id)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div></div>`,
    marginTop: simulated === null ? '18mm' : simulated === SIMULATED_NOTICE ? '26mm' : '30mm',
  };
}
