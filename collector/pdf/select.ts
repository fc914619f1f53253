// Which runs get PDFs. GitHub Pages publishes at most 1 GB and a 1,000-run site is already about
// 586 MB before any PDF, so by default only the newest run of each series gets them: the run a
// reader forwards is the latest one, and older runs keep their pages and downloads. A series is
// what the trends page draws (site/lib/trends.ts): one engine identity under one scenario hash.
// A run of several engines belongs to several series and gets PDFs when it is the newest of any.
// Runs named on the command line are added; --all renders every run.

/** What selection needs of a run. */
export interface SelectableRun {
  id: string;
  startedAt: string;
  scenarioHash: string;
  engines: readonly { identity: string }[];
}

export interface PdfSelection {
  all: boolean;
  /** Run ids asked for by name, on top of the default. */
  named: readonly string[];
}

const newer = (a: SelectableRun, b: SelectableRun): boolean => {
  const at = Date.parse(a.startedAt) - Date.parse(b.startedAt);
  return at > 0 || (at === 0 && a.id > b.id);
};

/** The newest run of every series (engine identity × scenario hash). */
export function latestPerSeries(runs: readonly SelectableRun[]): Set<string> {
  const latest = new Map<string, SelectableRun>();
  for (const run of runs) {
    for (const engine of run.engines) {
      const key = `${engine.identity}\u0000${run.scenarioHash}`;
      const held = latest.get(key);
      if (held === undefined || newer(run, held)) latest.set(key, run);
    }
  }
  return new Set([...latest.values()].map((run) => run.id));
}

/** The ids of the runs that get PDFs, in the order the runs were given. */
export function pdfRunIds(runs: readonly SelectableRun[], selection: PdfSelection): string[] {
  if (selection.all) return runs.map((run) => run.id);
  const chosen = latestPerSeries(runs);
  for (const id of selection.named) chosen.add(id);
  return runs.map((run) => run.id).filter((id) => chosen.has(id));
}
