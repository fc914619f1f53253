// The seam between the pages and the charts module (site/lib/charts/): it gives every chart a
// file-safe, unique id and lays its data table out as rows of text cells. The SVG is kept as the
// charts module made it (the module escapes its own text); nothing else on the site is raw HTML.
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { runCharts, type RunChart } from '../charts/index.ts';
import { chartFileId } from '../paths.ts';

export interface SiteChart {
  /** File-safe id: the spec downloads as charts/<id>.vl.json. */
  id: string;
  title: string;
  description: string;
  /** Inline SVG from the charts module. */
  svg: string;
  /** Said above the data table (what it summarises), or null. */
  caption: string | null;
  columns: string[];
  rows: string[][];
  /** What the table leaves out when it is capped, or null. */
  note: string | null;
  /** The Vega-Lite spec with its data inline, pretty-printed JSON. */
  specJson: string;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

/**
 * The root <svg> tag without a style attribute: the page's CSP (style-src 'self', no
 * 'unsafe-inline') would block it, and site.css already sizes charts (max-width: 100%; height:
 * auto). Vega draws everything inside with presentation attributes, which CSP does not touch.
 */
export function withoutRootStyle(svg: string): string {
  return svg.replace(/^(\s*(?:<\?xml[^>]*>\s*)?<svg\b[^>]*?)\s+style="[^"]*"/, '$1');
}

/** Normalizes what the charts module returns; ids are made unique and file-safe. */
export function toSiteCharts(charts: readonly RunChart[]): SiteChart[] {
  const used = new Set<string>();
  return charts.map((chart, i) => {
    let id = chartFileId(chart.id || `chart-${i + 1}`);
    if (used.has(id)) id = `${id}-${i + 1}`;
    used.add(id);
    return {
      id,
      title: chart.title,
      description: chart.description,
      svg: withoutRootStyle(chart.svg),
      caption: chart.table.caption,
      columns: chart.table.columns.map(cellText),
      rows: chart.table.rows.map((row) => row.map(cellText)),
      note: chart.table.note,
      specJson: `${JSON.stringify(chart.spec, null, 2)}\n`,
    };
  });
}

/** The run's charts, ready for a page. */
export async function chartsFor(run: Run, records: Iterable<RequestRecord> | AsyncIterable<RequestRecord>): Promise<SiteChart[]> {
  return toSiteCharts(await runCharts(run, records));
}
