// What `servebench noise` prints: the runs written, the spread of every statistic across them and
// the recommended τ, as text for a terminal or as JSON. Engine labels and phase names come from
// engines and config files: cleaned of control characters for the terminal.
import { valueText } from '../compare/diff-format.ts';
import { clean, table } from '../text-table.ts';
import { SPREAD_FACTOR, STRONG_RUNS, TAU_LADDER, type Recommendation } from './recommend.ts';
import { NOISE_METRICS, type SpreadRow } from './spread.ts';

export const NOISE_FORMAT = { name: 'servebench-noise', version: 1 } as const;

export interface NoiseRunRef {
  id: string;
  dir: string;
  status: string;
  startedAt: string;
  failedRequests: number;
}

export interface NoiseReport {
  name: string;
  /** The canonical scenario hash the runs share: one series on the site. */
  scenarioHash: string;
  runs: NoiseRunRef[];
  /** Labels of engines that were the built-in simulator. */
  simulatedEngines: string[];
  rows: SpreadRow[];
  recommendation: Recommendation;
}

export function noiseJson(report: NoiseReport): string {
  return `${JSON.stringify({ format: NOISE_FORMAT.name, formatVersion: NOISE_FORMAT.version, perMetricConfig: false, ...report }, null, 2)}\n`;
}

export function noiseText(report: NoiseReport): string {
  const { recommendation: rec } = report;
  const out: string[] = [];
  if (report.simulatedEngines.length > 0) {
    out.push(`SIMULATED: ${report.simulatedEngines.map(clean).join(', ')} ${report.simulatedEngines.length > 1 ? 'are' : 'is'} the built-in simulator: this spread is the simulator's, not a real engine's.`, '');
  }
  out.push(`servebench noise: ${report.runs.length} runs of "${clean(report.name)}" back to back (A/A), scenario hash ${report.scenarioHash}: one series on the site`);
  for (const run of report.runs) {
    out.push(`  ${clean(run.id)}  ${run.status}${run.failedRequests > 0 ? `, ${run.failedRequests} failed request${run.failedRequests === 1 ? '' : 's'} (left out of the statistics)` : ''}`);
  }
  out.push(
    '',
    `${report.runs.length} runs give a rough spread only: the largest of a few values understates the runs to come.`,
  );
  if (rec.weak) out.push(`WEAK: fewer than ${STRONG_RUNS} runs; treat the τ below as a lower bound and rerun with --repeat ${STRONG_RUNS} or more.`);
  out.push('', `spread across runs (MEDIAN of the per-run values; MAX DEV: largest |run / median − 1|; CV: standard deviation / mean of the per-run values)`);
  out.push(spreadTable(report.rows).trimEnd());
  out.push('', `recommended τ per metric: the smallest of ${TAU_LADDER.map(percentText).join(', ')} at or above ${SPREAD_FACTOR} × the largest MAX DEV (docs/statistics.md, "How noisy is a setup")`);
  out.push(recommendationTable(rec).trimEnd());
  out.push('', ...overallLines(rec));
  return `${out.join('\n')}\n`;
}

function spreadTable(rows: readonly SpreadRow[]): string {
  const label = (r: SpreadRow) => `${NOISE_METRICS.find((m) => m.metric === r.metric)!.label} ${r.stat}`;
  const cells = rows.map((r) => {
    const s = r.spread;
    const note = !r.enoughSamples
      ? `too few values per run (${Math.min(...r.samples)} < ${r.minSamples}): not used for τ`
      : s === null
        ? 'no spread: fewer than 2 runs with a value'
        : '';
    return [
      clean(r.engine),
      clean(r.phase),
      label(r),
      s === null ? '–' : valueText(r, s.median),
      s === null ? '–' : valueText(r, s.min),
      s === null ? '–' : valueText(r, s.max),
      s === null ? '–' : spreadPercent(s.maxDeviation),
      s === null || !Number.isFinite(s.cv) ? '–' : spreadPercent(s.cv),
      note,
    ];
  });
  return table(['ENGINE', 'PHASE', 'METRIC', 'MEDIAN', 'MIN', 'MAX', 'MAX DEV', 'CV', 'NOTE'], cells, [3, 4, 5, 6, 7]);
}

function recommendationTable(rec: Recommendation): string {
  const cells = rec.perMetric.map((m) => [
    m.label,
    m.worst === null ? '–' : spreadPercent(m.worst.spread),
    m.worst === null ? '–' : `${clean(m.worst.engine)} ${clean(m.worst.phase)} ${m.worst.stat}`,
    m.worst === null ? 'no statistic with enough values' : m.tau === null ? `none: over ${percentText(TAU_LADDER[TAU_LADDER.length - 1]!)}` : percentText(m.tau),
  ]);
  return table(['METRIC', 'LARGEST MAX DEV', 'WHERE', 'τ'], cells, [1]);
}

function overallLines(rec: Recommendation): string[] {
  const label = (metric: string | null) => NOISE_METRICS.find((m) => m.metric === metric)?.label ?? '';
  const lines: string[] = [];
  if (rec.overall !== null) {
    lines.push(`one τ for every metric above: servebench diff BASE HEAD --threshold ${percentText(rec.overall).replace(' ', '')}   (set by ${label(rec.setBy)})`);
  } else if (rec.uncovered.length > 0) {
    lines.push(
      `no τ up to ${percentText(TAU_LADDER[TAU_LADDER.length - 1]!)} covers ${rec.uncovered.map(label).join(', ')}: runs of this setup disagree too much there for a diff to tell a change from noise.`,
      'look for what differs between runs (warm-up, other load on the host, throttling), or measure more requests per phase.',
    );
  } else {
    lines.push('no recommendation: no statistic had values in at least 2 runs with enough values each.');
  }
  lines.push('per-metric thresholds in a config file are not there yet: `servebench diff` takes one --threshold (the error rate is held to ±1 percentage point).');
  return lines;
}

/** A spread to one decimal: 3.2 %. */
function spreadPercent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** A ladder step as typed: 5 %, 15 % (rounded so binary fractions do not show). */
function percentText(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}
