// The SLO verdicts of a run as a scorecard: one row per engine and phase, one cell per objective,
// each with its verdict word, the measured value with its 95 % interval, and the margin. Shared
// by the executive summary and the run report, so both say the same thing in the same words.
import type { Bound, Objective, ObjectiveMetric, PhaseSummary, Run, SloVerdict, Verdict } from '../../../collector/store/schema/index.ts';
import { interval, ms, percent, rate } from '../format.ts';
import { phaseGroups } from '../report/report.ts';
import { loadLabel } from '../report/load-label.ts';

/** What a reader sees for each verdict: a word, never colour alone. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  met: 'met',
  missed: 'missed',
  inconclusive: 'inconclusive',
  'no data': 'no data',
};

/** What each verdict means, for a legend. */
export const VERDICT_MEANING: Record<Verdict, string> = {
  met: 'the whole 95 % interval is within the objective',
  missed: 'the whole 95 % interval is outside the objective',
  inconclusive: 'the 95 % interval straddles the objective: more samples would decide it',
  'no data': 'nothing was measured (no successful request)',
};

/** A CSS class per verdict (the colour is a second cue; the word is always there). */
export const verdictClass = (verdict: Verdict): string => `verdict-${verdict.replace(' ', '-')}`;

const METRIC_NAMES: Record<ObjectiveMetric, string> = {
  ttft: 'TTFT',
  tpot: 'TPOT',
  itl: 'ITL',
  e2e: 'E2E',
  error_rate: 'error rate',
  output_tokens_per_s: 'output tokens/s',
  requests_per_s: 'requests/s',
};

/** A value of an objective's metric with its unit: `123.4 ms`, `1.5%`, `42.0 tokens/s`. */
export function metricValue(metric: ObjectiveMetric, value: number | null): string {
  if (value === null) return 'no data';
  if (metric === 'error_rate') return percent(value);
  if (metric === 'output_tokens_per_s') return `${rate(value)} tokens/s`;
  if (metric === 'requests_per_s') return `${rate(value)} requests/s`;
  return `${ms(value)} ms`;
}

/** The number alone, in the metric's format (for intervals). */
function metricNumber(metric: ObjectiveMetric): (value: number) => string {
  if (metric === 'error_rate') return percent;
  if (metric === 'output_tokens_per_s' || metric === 'requests_per_s') return rate;
  return ms;
}

/** An objective's threshold as the user set it, without padding: `300 ms`, `5%`, `2 requests/s`. */
export function thresholdText(metric: ObjectiveMetric, value: number): string {
  const plain = (n: number): string => String(Number(n.toFixed(4)));
  if (metric === 'error_rate') return `${plain(value * 100)}%`;
  if (metric === 'output_tokens_per_s') return `${plain(value)} tokens/s`;
  if (metric === 'requests_per_s') return `${plain(value)} requests/s`;
  return `${plain(value)} ms`;
}

const OP_WORDS: Record<Objective['op'], string> = { '<': 'under', '<=': 'at most', '>': 'over', '>=': 'at least' };

/** `TTFT p95 under 200 ms`, `error rate under 1%`. */
export function objectiveLabel(objective: Objective): string {
  const what = objective.stat === null ? METRIC_NAMES[objective.metric] : `${METRIC_NAMES[objective.metric]} ${objective.stat}`;
  return `${what} ${OP_WORDS[objective.op]} ${thresholdText(objective.metric, objective.value)}`;
}

/** `12.3% headroom` / `4.0% over the limit` / `4.0% short`, from the signed margin (positive = room left). */
export function marginText(objective: Objective, margin: number | null): string | null {
  if (margin === null) return null;
  if (margin >= 0) return `${percent(margin)} headroom`;
  return `${percent(-margin)} ${objective.op === '<' || objective.op === '<=' ? 'over the limit' : 'short'}`;
}

/** The interval of a measured value in its metric's format; null when the metric has none (one rate per window). */
export function measuredInterval(metric: ObjectiveMetric, ci: Bound): string | null {
  // Rates are one number over one window: a single run gives them no sampling interval.
  if (metric === 'output_tokens_per_s' || metric === 'requests_per_s') return null;
  return interval(ci, metricNumber(metric));
}

export interface ScorecardCell {
  objective: Objective;
  verdict: Verdict;
  measured: string;
  /** `15.0–30.1`, 'too few samples', or null when the metric has no interval. */
  interval: string | null;
  margin: string | null;
}

export interface ScorecardRow {
  engine: string;
  phase: string;
  load: string;
  /** All objectives together. */
  verdict: Verdict;
  cells: ScorecardCell[];
  /** Requests/s that met every per-request objective, and their share; null without a per-request objective. */
  goodput: { perS: number; fraction: number; requests: number } | null;
}

export interface Scorecard {
  objectives: Objective[];
  source: string;
  rows: ScorecardRow[];
}

function cell(objective: Objective, verdict: SloVerdict | undefined): ScorecardCell {
  if (verdict === undefined) return { objective, verdict: 'no data', measured: 'not judged', interval: null, margin: null };
  return {
    objective,
    verdict: verdict.verdict,
    measured: metricValue(objective.metric, verdict.measured),
    interval: verdict.measured === null ? null : measuredInterval(objective.metric, verdict.ci),
    margin: marginText(objective, verdict.margin),
  };
}

/** The run's verdicts, phase by phase, engine by engine; null when the run set no SLO. */
export function scorecard(run: Pick<Run, 'slo' | 'engines'>): Scorecard | null {
  if (run.slo === null) return null;
  const { objectives, source } = run.slo;
  const rows: ScorecardRow[] = [];
  for (const group of phaseGroups(run)) {
    for (const { engine, phase } of group.rows) rows.push(scorecardRow(engine.label, phase, objectives));
  }
  return { objectives, source, rows };
}

export function scorecardRow(engine: string, phase: PhaseSummary, objectives: readonly Objective[]): ScorecardRow {
  const byText = new Map((phase.slo?.verdicts ?? []).map((v) => [v.objective, v]));
  return {
    engine,
    phase: phase.name,
    load: loadLabel(phase.load),
    verdict: phase.slo?.verdict ?? 'no data',
    cells: objectives.map((o) => cell(o, byText.get(o.text))),
    goodput: phase.slo?.goodput ?? null,
  };
}

/** Where the objectives came from, in a sentence's words. */
export function sloSourceText(source: string): string {
  if (source === 'command line') return 'set on the command line (--slo)';
  if (source === 'scenario') return "set in the scenario's slo";
  if (source.startsWith('preset ')) return `declared by the ${source.slice('preset '.length)} preset`;
  if (source === 'servebench v3 run') return 'carried over from the targets this run set under servebench v3';
  return source;
}

/** How to set objectives, for a run that has none. */
export const NO_SLO_HINT = 'No SLO set: this run was not judged against any objective. Set one with --slo (e.g. --slo ttft:p95<200ms --slo e2e:p95<2s --slo error_rate<1%) or slo: in the scenario.';
