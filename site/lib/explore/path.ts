// The explore page's address and the one kind of `?spec=` it accepts. Shared by the report page
// (which writes the links) and the explore page's script (which reads them), so no Node import.

/** The explore page, relative to the base. */
export const EXPLORE_PAGE = 'explore/';

/**
 * A chart spec this site publishes, relative to the base: run ids and chart ids are lowercase
 * letters, digits and dashes (the run schema and slugify guarantee it). Nothing else passes: no
 * scheme, host, `..`, `//`, backslash or percent escape can reach the fetch.
 */
const SPEC_PATH = /^runs\/([a-z0-9][a-z0-9-]*)\/charts\/([a-z0-9][a-z0-9-]*)\.vl\.json$/;

export interface SpecTarget {
  /** 'runs/<id>/charts/<chart>.vl.json', relative to the base. */
  specPath: string;
  runId: string;
  chartId: string;
}

/** The explore page for a chart spec path (as `chartSpecPath` writes it), relative to the base. */
export function explorePath(specPath: string): string {
  return `${EXPLORE_PAGE}?spec=${encodeURIComponent(specPath)}`;
}

/** The `spec` query parameter (already URL-decoded) when it names a chart spec of this site, else null. */
export function parseSpecParam(value: string | null): SpecTarget | null {
  const match = value === null ? null : SPEC_PATH.exec(value);
  return match ? { specPath: match[0], runId: match[1]!, chartId: match[2]! } : null;
}

/** The chart on its run's report page, relative to the base (ChartFigure gives each figure this id). */
export function reportChartPath(target: SpecTarget): string {
  return `runs/${target.runId}/#chart-${target.chartId}`;
}
