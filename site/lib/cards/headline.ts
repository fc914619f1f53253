// The headline verdict of a run, in a line or four: what a share card shows and what a pasted
// link's preview says. Computed from the run with the executive summary's own answers
// (site/lib/executive/), so the card never says more than the page: a winner only when the 95 %
// intervals separate it (clearWinner), "no clear winner" otherwise, and "no SLO set" when the run
// was judged against nothing.
import type { EngineRun, Run } from '../../../collector/store/schema/index.ts';
import { capacityUnit, fastestFirstToken, mostLoadWithinSlo, type CapacityEvidence } from '../executive/answers.ts';
import { objectiveLabel } from '../executive/verdicts.ts';
import { ms } from '../format.ts';
import { loadLabel } from '../report/load-label.ts';

export interface Headline {
  /** Sentences, the answer first, then one per engine. */
  lines: string[];
  /** The lines as one, for og:description and the card's alt text. */
  text: string;
}

function failedEverything(engine: EngineRun): boolean {
  const total = engine.phases.reduce((n, p) => n + p.requests.total, 0);
  return total > 0 && engine.phases.every((p) => p.requests.ok === 0);
}

function failureLines(run: Pick<Run, 'engines'>): string[] {
  return run.engines.flatMap((engine) => {
    if (engine.phases.length === 0) return [`${engine.label}: nothing was measured`];
    if (!failedEverything(engine)) return [];
    const kinds = Object.entries(engine.phases.reduce<Record<string, number>>((all, p) => {
      for (const [kind, n] of Object.entries(p.errorsByKind)) all[kind] = (all[kind] ?? 0) + n;
      return all;
    }, {})).sort((a, b) => b[1] - a[1]);
    return [`${engine.label} failed every request${kinds[0] ? ` (${kinds[0][0].replace(/_/g, ' ')})` : ''}`];
  });
}

function noSloLines(run: Pick<Run, 'engines'>): string[] {
  // The heaviest load level measured: the one a reader plans capacity for.
  const level = fastestFirstToken(run).filter((l) => l.engines.some((e) => e.value !== null)).at(-1);
  if (level === undefined) return ['No SLO set; no request succeeded'];
  const { ruling } = level;
  const at = level.load;
  if (ruling.alone && ruling.winner) return [`No SLO set · ${ruling.winner.label}: first token in ${ms(ruling.winner.value)} ms (median) at ${at}`];
  if (ruling.winner) {
    return [`No SLO set · fastest first token: ${ruling.winner.label}, ${ms(ruling.winner.value)} ms median at ${at}` + (ruling.runnerUp ? ` (next: ${ruling.runnerUp.label}, ${ms(ruling.runnerUp.value)} ms)` : '')];
  }
  const why = level.engines.some((e) => !e.hasInterval) ? 'no 95 % intervals recorded' : 'the 95 % intervals overlap';
  return [`No SLO set · fastest first token at ${at}: no clear winner (${why})`];
}

function capacityLine(evidence: CapacityEvidence): string {
  const { capacity } = evidence;
  const at = (value: number): string => capacityUnit(capacity.unit, value);
  switch (capacity.how) {
    case 'measured':
      return `${evidence.label} met every SLO up to ${at(capacity.value!)}`;
    case 'interpolated':
      return `${evidence.label} met every SLO up to about ${at(capacity.value!)} (interpolated)`;
    case 'above highest level':
      return `${evidence.label} met every SLO at every level, up to ${at(capacity.value!)}`;
    case 'below lowest level':
      return `${evidence.label} missed the SLO already at ${evidence.lowest === null ? 'the lowest level' : at(evidence.lowest)}`;
    case 'inconclusive':
      return `${evidence.label}: inconclusive at the SLO boundary${capacity.value === null ? '' : ` (met up to ${at(capacity.value)})`}`;
  }
}

/** Per engine, its verdict at its last (heaviest) phase. */
function phaseLine(engine: EngineRun, run: Pick<Run, 'slo'>): string | null {
  const phase = engine.phases.at(-1);
  if (phase === undefined || run.slo === null) return null;
  const at = loadLabel(phase.load);
  const slo = phase.slo;
  if (slo === undefined) return `${engine.label}: not judged at ${at}`;
  const named = (verdict: string): string =>
    slo.verdicts
      .filter((v) => v.verdict === verdict)
      .map((v) => {
        const objective = run.slo!.objectives.find((o) => o.text === v.objective);
        return objective ? objectiveLabel(objective) : v.objective;
      })
      .join(', ');
  switch (slo.verdict) {
    case 'met':
      return `${engine.label} met every SLO at ${at}`;
    case 'missed':
      return `${engine.label} missed ${named('missed')} at ${at}`;
    case 'inconclusive':
      return `${engine.label}: inconclusive on ${named('inconclusive') || 'some objectives'} at ${at}`;
    case 'no data':
      return `${engine.label}: no data at ${at}`;
  }
}

function sloLines(run: Pick<Run, 'engines' | 'slo'>): string[] {
  const measured = run.engines.filter((e) => e.phases.length > 0 && !failedEverything(e));
  const load = mostLoadWithinSlo(run);
  if (load.kind === 'capacity') {
    const lines = load.engines.filter((e) => measured.some((m) => m.label === e.label)).map(capacityLine);
    if (load.engines.length > 1) lines.unshift(load.ruling.winner ? `Most load within the SLO: ${load.ruling.winner.label}` : 'Most load within the SLO: no clear winner');
    return lines;
  }
  return measured.flatMap((engine) => phaseLine(engine, run) ?? []);
}

export function headlineVerdict(run: Pick<Run, 'engines' | 'slo'>): Headline {
  const lines = [...(run.slo === null ? noSloLines(run) : sloLines(run)), ...failureLines(run)];
  return { lines, text: lines.join(' · ') };
}
