// Numbers of a diff as people read them, shared by the text and markdown renderers so the two
// always agree. Everything here is computed, never engine text: escaping is the renderer's job.
import type { Bound, DiffVerdict } from '../metrics/stats/index.ts';
import { METRICS, type DiffRow, type RunDiff } from './diff-runs.ts';

/** Verdicts from most to least urgent: the order rows are listed and cut in. */
export const VERDICT_ORDER: readonly DiffVerdict[] = ['regression', 'likely regression', 'improvement', 'likely improvement', 'insufficient data', 'equivalent'];

export function metricLabel(row: Pick<DiffRow, 'metric' | 'stat'>): string {
  const label = METRICS.find((m) => m.id === row.metric)!.label;
  return row.stat === 'share' || row.stat === 'mean' ? label : `${label} ${row.stat}`;
}

/** A measured value in the metric's unit: ms and tok/s to 3 significant digits, shares in %. */
export function valueText(row: Pick<DiffRow, 'metric'>, value: number | null): string {
  if (value === null) return '–';
  const unit = METRICS.find((m) => m.id === row.metric)!.unit;
  if (unit === 'share') return `${trimmed(value * 100, 1)} %`;
  return `${significant(value)} ${unit}`;
}

/** Δ signed: +12.3 % (relative) or +2.0 pp (points). */
export function deltaText(row: Pick<DiffRow, 'deltaKind'>, delta: number | null): string {
  if (delta === null) return '–';
  const scaled = delta * 100;
  const sign = scaled > 0 ? '+' : scaled < 0 ? '−' : '±';
  return `${sign}${Math.abs(scaled).toFixed(1)}${row.deltaKind === 'points' ? ' pp' : ' %'}`;
}

/** The interval of Δ; an open side (too few values) reads "?". */
export function intervalText(row: Pick<DiffRow, 'deltaKind'>, ci: Bound): string {
  const side = (v: number | null) => (v === null ? '?' : deltaText(row, v));
  return `[${side(ci.lo)}, ${side(ci.hi)}]`;
}

export function pText(p: number | null): string {
  if (p === null) return '–';
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

export function cliffText(delta: number | null): string {
  if (delta === null) return '–';
  return `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${Math.abs(delta).toFixed(2)}`;
}

export function shiftText(row: Pick<DiffRow, 'metric'>, shift: number | null): string {
  if (shift === null) return '–';
  const unit = METRICS.find((m) => m.id === row.metric)!.unit;
  if (unit === 'share') return '–';
  return `${shift > 0 ? '+' : shift < 0 ? '−' : '±'}${significant(Math.abs(shift))} ${unit}`;
}

export function thresholdText(diff: RunDiff): string {
  return `τ ±${trimmed(diff.threshold * 100, 2)} % (error rate ±${trimmed(diff.errorRateThreshold * 100, 2)} pp)`;
}

/** How many rows got each verdict, most urgent first, e.g. "2 regression, 40 equivalent". */
export function verdictCounts(rows: readonly DiffRow[]): string {
  const parts = VERDICT_ORDER.map((v) => [v, rows.filter((r) => r.verdict === v).length] as const).filter(([, n]) => n > 0);
  return parts.length === 0 ? 'nothing compared' : parts.map(([v, n]) => `${n} ${v}`).join(', ');
}

export function byUrgency(rows: readonly DiffRow[]): DiffRow[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => VERDICT_ORDER.indexOf(a.row.verdict) - VERDICT_ORDER.indexOf(b.row.verdict) || a.index - b.index)
    .map((x) => x.row);
}

/** Tests adjusted together: one per engine × phase × metric with a p. */
export function testCount(diff: RunDiff): number {
  return new Set(diff.rows.filter((r) => r.pRaw !== null).map((r) => `${r.engine}\u0000${r.phase}\u0000${r.metric}`)).size;
}

function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function trimmed(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * Which engines ran on the simulator, side by side, with `escape` applied to each label (they are
 * engine text); null when none did.
 */
export function simulatedNote(diff: RunDiff, escape: (text: string) => string): string | null {
  const side = (name: string, ref: RunDiff['base']) => `${name}: ${ref.simulatedEngines.length === 0 ? 'none' : ref.simulatedEngines.map(escape).join(', ')}`;
  if (!diff.base.simulated && !diff.head.simulated) return null;
  return `simulated engines (the built-in simulator, not real inference servers), ${side('base', diff.base)}; ${side('head', diff.head)}.`;
}
