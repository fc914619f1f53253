// The diff page's interval chart: for each metric whose verdict is a change (regression or
// improvement, likely or not), Δ as a point with a whisker over its 95 % interval, against a rule
// at 0 and the shaded band ±τ, one row per engine × phase × metric, most urgent first. Rows of
// "insufficient data" are left to the table: their intervals are wide by definition and would set
// the axis, shrinking the changes that matter to a few pixels. An interval inside the band is equivalent; one
// clear of it and of 0 is a change. Δ is in percent (the error rate in percentage points, with its
// own τ), so each row draws its own band. Engine and phase names enter only as data values.
import { byUrgency, deltaText, metricLabel } from '../../../collector/compare/diff-format.ts';
import type { DiffRow, RunDiff } from '../../../collector/compare/diff-runs.ts';
import { descriptionOf, renderSvg, titleOf } from '../charts/render.ts';
import { ERROR_PALETTE, ENGINE_PALETTE } from '../charts/palette.ts';
import { topLevel, WIDTH, type ChartSpec } from '../charts/spec.ts';
import { withoutRootStyle } from '../report/site-charts.ts';

/** The most rows one chart draws (the most urgent); the table lists every row. */
export const MAX_INTERVAL_ROWS = 40;

const ROW_HEIGHT = 22;

/** Fixed per verdict, so a verdict looks the same on every diff page; the table names it too. */
const VERDICT_COLOUR: Record<DiffRow['verdict'], string> = {
  regression: ERROR_PALETTE[0]!,
  'likely regression': ERROR_PALETTE[1]!,
  improvement: ENGINE_PALETTE[0]!,
  'likely improvement': ENGINE_PALETTE[4]!,
  'insufficient data': '#777777',
  equivalent: '#777777',
};

export interface IntervalChart {
  title: string;
  description: string;
  svg: string;
  /** Rows drawn, and rows that changed but were left out (beyond MAX_INTERVAL_ROWS). */
  rows: number;
  omitted: number;
}

export function rowLabel(row: DiffRow): string {
  return `${row.engine} · ${row.phase} · ${metricLabel(row)}`;
}

/** Rows the chart draws: a change, with a Δ. */
function charted(diff: RunDiff): DiffRow[] {
  return byUrgency(diff.rows.filter((r) => r.verdict !== 'equivalent' && r.verdict !== 'insufficient data' && r.delta !== null));
}

export function intervalSpec(diff: RunDiff): { spec: ChartSpec; rows: number; omitted: number } | null {
  const all = charted(diff);
  if (all.length === 0) return null;
  const rows = all.slice(0, MAX_INTERVAL_ROWS);
  const omitted = all.length - rows.length;
  const values = rows.map((r, i) => {
    const delta = r.delta! * 100;
    return {
      // A unique label per row even if two engines share a label text.
      row: `${i + 1}. ${rowLabel(r)}`,
      verdict: r.verdict,
      delta,
      lo: r.ci.lo === null ? delta : r.ci.lo * 100,
      hi: r.ci.hi === null ? delta : r.ci.hi * 100,
      tauLo: -r.threshold * 100,
      tauHi: r.threshold * 100,
      deltaText: deltaText(r, r.delta),
    };
  });
  const verdicts = [...new Set(rows.map((r) => r.verdict))];
  const named = rows.slice(0, 5).map((r) => `${rowLabel(r)} ${deltaText(r, r.delta)} (${r.verdict})`);
  const description =
    `Δ of head against base with its 95 % interval for ${rows.length} metric${rows.length === 1 ? '' : 's'} that changed, ` +
    `most urgent first; the shaded band is ±τ and the vertical rule is no change. ${named.join('; ')}${rows.length > 5 ? '; …' : ''}.` +
    (omitted > 0 ? ` ${omitted} more are in the table only.` : '');
  const y = { field: 'row', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } } as const;
  const spec = {
    ...topLevel({
      title: 'Change per metric with its 95 % interval',
      description,
      datasets: { rows: values },
      table: {
        dataset: 'rows',
        columns: [
          { field: 'row', title: 'Metric' },
          { field: 'deltaText', title: 'Δ' },
          { field: 'verdict', title: 'Verdict' },
        ],
      },
    }),
    data: { name: 'rows' },
    width: WIDTH - 160,
    // A number, not a step: every chart SVG has a fixed size (charts/render.ts withFixedSize).
    height: rows.length * ROW_HEIGHT,
    layer: [
      { mark: { type: 'bar', color: '#e8e8e8', height: ROW_HEIGHT - 4 }, encoding: { y, x: { field: 'tauLo', type: 'quantitative', title: 'Δ, % (error rate: percentage points)' }, x2: { field: 'tauHi' } } },
      { mark: { type: 'rule', color: '#444444' }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, color: { field: 'verdict', type: 'nominal', title: 'Verdict', scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_COLOUR[v]) } } },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          y,
          x: { field: 'delta', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal', title: 'Verdict', scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_COLOUR[v]) } },
          shape: { field: 'verdict', type: 'nominal', title: 'Verdict' },
        },
      },
    ],
  } as ChartSpec;
  return { spec, rows: rows.length, omitted };
}

export async function intervalChart(diff: RunDiff): Promise<IntervalChart | null> {
  const made = intervalSpec(diff);
  if (made === null) return null;
  return { title: titleOf(made.spec), description: descriptionOf(made.spec), svg: withoutRootStyle(await renderSvg(made.spec, { id: 'diff-intervals' })), rows: made.rows, omitted: made.omitted };
}
