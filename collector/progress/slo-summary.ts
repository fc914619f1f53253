// The verdicts on the run's objectives, per engine and phase, printed after a collection: each
// objective's measured value, 95 % interval, margin and verdict; each phase's overall verdict and
// goodput; each sweep's capacity at SLO. A run without objectives says so.
import type { CapacityAtSlo, EngineRun, Objective, Run, SloVerdict, Verdict } from '../store/schema/index.ts';
import { clean, table } from '../text-table.ts';
import { engineName } from './results-table.ts';

export const NO_SLO_TEXT = 'no SLO set';

export function sloSummary(run: Pick<Run, 'engines' | 'slo'>): string {
  if (run.slo === null) return `service-level objectives: ${NO_SLO_TEXT} (give --slo, e.g. --slo ttft:p95<200ms, or slo: in the scenario)`;
  const objectives = new Map(run.slo.objectives.map((o) => [o.text, o]));
  const rows: string[][] = [];
  const phaseRows: string[][] = [];
  for (const engine of run.engines) {
    for (const phase of engine.phases) {
      if (phase.slo === undefined) continue;
      phase.slo.verdicts.forEach((v, i) => {
        rows.push([i === 0 ? engineName(engine) : '', i === 0 ? clean(phase.name) : '', clean(v.objective), ...verdictCells(v, objectives.get(v.objective))]);
      });
      const goodput = phase.slo.goodput;
      phaseRows.push([
        engineName(engine),
        clean(phase.name),
        verdictWord(phase.slo.verdict),
        goodput === null ? '-' : goodput.perS.toFixed(2),
        goodput === null ? '-' : `${goodput.requests}/${phase.requests.total} (${percent(goodput.fraction)})`,
      ]);
    }
  }
  const source = clean(run.slo.source);
  const head = `service-level objectives (${source}): ${run.slo.objectives.map((o) => clean(o.text)).join('  ')}`;
  if (rows.length === 0) return `${head}\n  (no phase measured)`;
  const indent = (text: string): string => text.trimEnd().replace(/^/gm, '  ');
  const lines = [
    head,
    indent(table(['ENGINE', 'PHASE', 'OBJECTIVE', 'MEASURED', '95% INTERVAL', 'MARGIN', 'VERDICT'], rows, [3, 5])),
    '',
    `per phase: every objective together, and goodput (requests that succeeded and met every per-request objective on their own latencies)`,
    indent(table(['ENGINE', 'PHASE', 'VERDICT', 'GOODPUT/S', 'GOOD REQUESTS'], phaseRows, [3])),
  ];
  const capacities = run.engines.filter((e) => e.capacityAtSlo !== undefined).map((e) => `  ${engineName(e)}: ${capacityText(e.capacityAtSlo!)}`);
  if (capacities.length > 0) lines.push('', 'capacity at SLO (highest load meeting every objective):', ...capacities);
  lines.push('', 'met: the whole 95 % interval meets the objective; missed: none of it does; inconclusive: it straddles the threshold (more samples would decide)');
  return lines.join('\n');
}

/** True when any objective was missed in any engine × phase: what --fail-on-slo fails on. */
export function anyMissed(engines: readonly EngineRun[]): boolean {
  return engines.some((e) => e.phases.some((p) => p.slo?.verdicts.some((v) => v.verdict === 'missed')));
}

function verdictCells(v: SloVerdict, objective: Objective | undefined): string[] {
  const unit = unitOf(objective);
  return [
    v.measured === null ? '-' : formatValue(v.measured, unit),
    intervalText(v, unit),
    v.margin === null ? '-' : `${v.margin >= 0 ? '+' : ''}${(v.margin * 100).toFixed(1)}%`,
    verdictWord(v.verdict),
  ];
}

type Unit = 'ms' | 'fraction' | 'per s';

function unitOf(objective: Objective | undefined): Unit {
  if (objective === undefined) return 'per s';
  if (objective.metric === 'error_rate') return 'fraction';
  if (objective.metric === 'output_tokens_per_s' || objective.metric === 'requests_per_s') return 'per s';
  return 'ms';
}

function formatValue(value: number, unit: Unit): string {
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  if (unit === 'fraction') return percent(value);
  return `${value.toFixed(2)}/s`;
}

function intervalText(v: SloVerdict, unit: Unit): string {
  const { lo, hi } = v.ci;
  if (lo === null && hi === null) return unit === 'per s' ? 'none (one rate)' : v.measured === null ? '-' : 'too few samples';
  const show = (x: number): string => (unit === 'ms' ? x.toFixed(1) : unit === 'fraction' ? percent(x) : x.toFixed(2));
  if (lo === null) return `<= ${show(hi!)}`;
  if (hi === null) return `>= ${show(lo)}`;
  return `${show(lo)} .. ${show(hi)}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.001 && fraction > 0 ? 3 : 1)}%`;
}

function verdictWord(verdict: Verdict): string {
  return verdict === 'missed' ? 'MISSED' : verdict;
}

export function capacityText(c: CapacityAtSlo): string {
  const level = (x: number): string => `${Number(x.toFixed(2))} ${c.unit === 'rate' ? 'req/s' : x === 1 ? 'user' : 'users'}`;
  switch (c.how) {
    case 'interpolated':
      return `about ${level(c.value!)} (interpolated between ${level(c.between![0])} met and ${level(c.between![1])} missed)`;
    case 'measured':
      return `${level(c.value!)} (measured; ${level(c.between![1])} missed)`;
    case 'above highest level':
      return `at least ${level(c.value!)} (every level met; the sweep did not go higher)`;
    case 'below lowest level':
      return 'below the lowest level measured (it missed)';
    case 'inconclusive':
      return c.between === null
        ? 'inconclusive (the lowest level\'s verdict is not clear)'
        : `inconclusive between ${level(c.between[0])} met and ${level(c.between[1])} (not clear)`;
  }
}
