// The diff as a PR comment: the environment table, then only the rows that are not equivalent
// (most urgent first), the equivalent ones counted per engine. GitHub refuses comments over
// 65,536 characters, so the text stays under MARKDOWN_LIMIT, cutting rows from the least urgent
// end and saying how many were left out.
import {
  byUrgency,
  cliffText,
  deltaText,
  intervalText,
  metricLabel,
  pText,
  shiftText,
  simulatedNote,
  testCount,
  thresholdText,
  valueText,
  verdictCounts,
} from './diff-format.ts';
import type { DiffRow, RunDiff } from './diff-runs.ts';
import { markdownText as md } from './markdown-escape.ts';

export const MARKDOWN_LIMIT = 60_000;

export interface MarkdownOptions {
  /** Root of the published site; the diff page is linked under it. */
  siteUrl?: string;
  /** Characters the whole text stays under (default MARKDOWN_LIMIT). */
  limit?: number;
}

const ICON: Record<DiffRow['verdict'], string> = {
  regression: '🔴',
  'likely regression': '🟠',
  improvement: '🟢',
  'likely improvement': '🟢',
  'insufficient data': '⚪',
  equivalent: '',
};

export function diffMarkdown(diff: RunDiff, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head: string[] = [];
  head.push(`## servebench diff: ${md(diff.base.id)} → ${md(diff.head.id)}`, '');
  if (diff.severity === 'refuse') {
    head.push('> [!CAUTION]', '> **These runs are not comparable**: they differ in what was measured (see Environment). Compared anyway because `--force` was given: the deltas below may mean nothing.', '');
  } else if (diff.severity === 'warn') {
    head.push('> [!WARNING]', '> The runs differ in engine version, host class or servebench version (see Environment): a change may come from those.', '');
  }
  const simulated = simulatedNote(diff, md);
  if (simulated) head.push('> [!NOTE]', `> **Simulated**: ${simulated}`, '');
  head.push(`Base **${md(diff.base.name)}** (${md(diff.base.startedAt)}), head **${md(diff.head.name)}** (${md(diff.head.startedAt)}).`);
  head.push(`${thresholdText(diff)}; 95 % intervals of Δ; p: Mann–Whitney, Benjamini–Hochberg-adjusted across ${testCount(diff)} tests.`);
  if (diff.goodputObjectives) head.push(`Goodput: share of requests meeting ${diff.goodputObjectives.map(md).join(', ')}.`);
  head.push('', `**Verdicts**: ${verdictCounts(diff.rows)}.`, '');
  head.push('### Environment', '');
  if (diff.environment.length === 0) head.push('No differences: same engines, models, scenario, load points, host class and servebench version.');
  else {
    head.push('| What | Engine | Phase | Base | Head | Severity |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of diff.environment) {
      head.push(`| ${md(r.label)} | ${r.engine === null ? 'run' : md(r.engine)} | ${r.phase === null ? '' : md(r.phase)} | ${r.base === null ? '(none)' : md(r.base)} | ${r.head === null ? '(none)' : md(r.head)} | ${r.severity === 'refuse' ? '**refuse**' : 'warn'} |`);
    }
  }
  head.push('');

  const tail: string[] = [''];
  const equivalent = equivalentPerEngine(diff.rows);
  if (equivalent.length > 0) {
    tail.push('### Equivalent', '');
    for (const [engine, n, of] of equivalent) tail.push(`- ${md(engine)}: ${n} of ${of} metrics equivalent (within τ), not listed`);
  }
  for (const u of diff.unpaired) tail.push(`- not compared: ${md(u.engine)}${u.phase === null ? '' : ` phase ${md(u.phase)}`} is only in the ${u.side} run`);
  if (options.siteUrl) {
    const url = `${options.siteUrl.replace(/\/+$/, '')}/diff/${encodeURIComponent(diff.base.id)}...${encodeURIComponent(diff.head.id)}/`;
    tail.push('', `[Full diff with intervals and distributions](${url.replace(/[()\s]/g, encodeURIComponent)})`);
  }

  const listed = byUrgency(diff.rows.filter((r) => r.verdict !== 'equivalent'));
  const table: string[] = [];
  if (listed.length > 0) {
    table.push('### Changes and undecided metrics', '');
    table.push('| | Engine | Phase | Metric | Base | Head | Δ | 95 % CI | p | Cliff\'s δ | HL shift | Verdict |');
    table.push('| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |');
  }
  const fixed = [...head, ...table, ...tail].join('\n').length + 1;
  // Room for the line saying what was cut.
  let budget = limit - fixed - 300;
  let shown = 0;
  for (const row of listed) {
    const line = rowLine(row);
    if (line.length + 1 > budget) break;
    table.push(line);
    budget -= line.length + 1;
    shown += 1;
  }
  if (shown < listed.length) {
    const left = listed.slice(shown);
    table.push('', `… ${left.length} more row${left.length === 1 ? '' : 's'} left out to stay under GitHub's comment limit (${verdictCounts(left)}): \`servebench diff --format text\` or the full diff page lists them.`);
  }
  return `${[...head, ...table, ...tail].join('\n')}\n`;
}

function rowLine(r: DiffRow): string {
  const engine = r.engine === r.headEngine ? md(r.engine) : `${md(r.engine)} → ${md(r.headEngine)}`;
  const cells = [
    ICON[r.verdict],
    engine,
    md(r.phase),
    metricLabel(r),
    valueText(r, r.base),
    valueText(r, r.head),
    deltaText(r, r.delta),
    intervalText(r, r.ci),
    pText(r.p),
    cliffText(r.cliffsDelta),
    shiftText(r, r.shift),
    r.verdict === 'regression' ? '**regression**' : r.verdict,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** [engine, equivalent rows, all rows] per engine, in the order the rows come. */
function equivalentPerEngine(rows: readonly DiffRow[]): Array<[string, number, number]> {
  const counts = new Map<string, [number, number]>();
  for (const r of rows) {
    const c = counts.get(r.engine) ?? [0, 0];
    if (r.verdict === 'equivalent') c[0] += 1;
    c[1] += 1;
    counts.set(r.engine, c);
  }
  return [...counts].filter(([, [n]]) => n > 0).map(([engine, [n, of]]) => [engine, n, of]);
}
