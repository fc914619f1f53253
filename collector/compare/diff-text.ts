// The diff for a terminal: what differs between the runs, then every row, most urgent first.
// Engine labels, model names and versions come from run files anyone can write: cleaned of
// control characters before they reach the terminal.
import { clean, table } from '../text-table.ts';
import type { EnvironmentRow } from './comparability.ts';
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
import type { RunDiff } from './diff-runs.ts';

export function diffText(diff: RunDiff): string {
  const out: string[] = [];
  for (const line of banners(diff)) out.push(line);
  out.push(`servebench diff: base ${clean(diff.base.id)} (${clean(diff.base.name)}, ${clean(diff.base.startedAt)}) → head ${clean(diff.head.id)} (${clean(diff.head.name)}, ${clean(diff.head.startedAt)})`);
  out.push(`${thresholdText(diff)}; 95 % intervals of Δ; p: Mann–Whitney, Benjamini–Hochberg-adjusted across ${testCount(diff)} tests`);
  if (diff.goodputObjectives) out.push(`goodput: share of requests meeting ${diff.goodputObjectives.map(clean).join(', ')}`);
  out.push('', 'environment');
  out.push(environmentText(diff.environment));
  out.push('', `verdicts: ${verdictCounts(diff.rows)}`, '');
  const rows = byUrgency(diff.rows).map((r) => [
    clean(r.engine === r.headEngine ? r.engine : `${r.engine} → ${r.headEngine}`),
    clean(r.phase),
    metricLabel(r),
    valueText(r, r.base),
    valueText(r, r.head),
    deltaText(r, r.delta),
    intervalText(r, r.ci),
    pText(r.p),
    cliffText(r.cliffsDelta),
    shiftText(r, r.shift),
    r.verdict,
  ]);
  if (rows.length > 0) out.push(table(['ENGINE', 'PHASE', 'METRIC', 'BASE', 'HEAD', 'Δ', '95% CI', 'p', "CLIFF'S δ", 'HL SHIFT', 'VERDICT'], rows, [3, 4, 5, 7, 8, 9]).trimEnd());
  for (const u of diff.unpaired) {
    out.push(`not compared: ${clean(u.engine)}${u.phase === null ? '' : ` phase ${clean(u.phase)}`} is only in the ${u.side} run`);
  }
  return `${out.join('\n')}\n`;
}

/** The loud lines at the top: a forced comparison of runs that measured different things, simulated engines. */
export function banners(diff: RunDiff): string[] {
  const lines: string[] = [];
  if (diff.severity === 'refuse') {
    lines.push('WARNING: THESE RUNS ARE NOT COMPARABLE (see "environment": they differ in what was measured).');
    lines.push('WARNING: compared anyway because --force was given: the deltas below may mean nothing.', '');
  } else if (diff.severity === 'warn') {
    lines.push('warning: the runs differ in engine version, host class or servebench version (see "environment"): a change may come from those.', '');
  }
  const simulated = simulatedNote(diff, clean);
  if (simulated) lines.push(`SIMULATED: ${simulated}`, '');
  return lines;
}

export function environmentText(rows: readonly EnvironmentRow[]): string {
  if (rows.length === 0) return '  no differences: same engines, models, scenario, load points, host class and servebench version';
  const body = rows.map((r) => [clean(r.label), clean(r.engine ?? '(run)'), clean(r.phase ?? ''), clean(r.base ?? '(none)'), clean(r.head ?? '(none)'), r.severity === 'refuse' ? 'REFUSE' : 'warn']);
  return table(['WHAT', 'ENGINE', 'PHASE', 'BASE', 'HEAD', 'SEVERITY'], body)
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
