// A load sweep: output throughput and p50/p95 TTFT and E2E latency against the load level of each
// phase (users in flight, or offered requests/s), per engine. The run's objectives on what the
// chart plots are drawn as rules, and each engine's highest load level whose verdict on every
// objective is "met" (on its 95 % intervals, as the run judged it) is ringed.
import type { ChartData, LoadKind, Slo, SweepPoint } from './data.ts';
import { list, ms, num, perS, plural } from './format.ts';
import type { ChartSpec } from './spec.ts';
import { engineColour, topLevel, valueScale, wantsLog, WIDTH } from './spec.ts';

/** Whether a phase met every objective, as the run judged it (null when the run set none). */
export function meetsSlo(point: SweepPoint): boolean | null {
  return point.verdict === null ? null : point.verdict === 'met';
}

/** Per engine (in the points' order), the phase at the highest load level that met every objective, or null. */
export function highestLoadMeetingSlo(points: readonly SweepPoint[]): Map<string, SweepPoint | null> {
  const best = new Map<string, SweepPoint | null>();
  for (const point of points) {
    if (!best.has(point.engine)) best.set(point.engine, null);
    if (meetsSlo(point) !== true) continue;
    const current = best.get(point.engine);
    if (current === null || current === undefined || point.level > current.level) best.set(point.engine, point);
  }
  return best;
}

/** The load kinds that have a sweep to draw (two levels or more), the most levels first. */
export function sweepKinds(data: ChartData): LoadKind[] {
  const levels = (kind: LoadKind): number => new Set(data.sweep.filter((p) => p.loadKind === kind).map((p) => p.level)).size;
  return (['concurrency', 'rate'] as const).filter((k) => levels(k) >= 2).sort((a, b) => levels(b) - levels(a));
}

const LEVEL_TITLE: Record<LoadKind, string> = {
  concurrency: 'Concurrency (requests in flight)',
  rate: 'Offered load (requests/s)',
};

const LEVEL_NAME: Record<LoadKind, string> = { concurrency: 'concurrency', rate: 'offered rate' };

export function sweepSpec(data: ChartData, kind: LoadKind | undefined = sweepKinds(data)[0]): ChartSpec | null {
  if (kind === undefined) return null;
  const points = data.sweep.filter((p) => p.loadKind === kind);
  const levels = [...new Set(points.map((p) => p.level))].sort((a, b) => a - b);
  if (levels.length < 2) return null;
  const engines = data.engines.filter((e) => points.some((p) => p.engine === e));
  points.sort((a, b) => engines.indexOf(a.engine) - engines.indexOf(b.engine) || a.level - b.level);
  const slo = data.slo;
  const best = highestLoadMeetingSlo(points);
  const bestRows = [...best.values()].filter((p): p is SweepPoint => p !== null);
  const rows = points.map((p) => ({ ...p, highest: best.get(p.engine) === p ? 'yes' : '' }));
  const latency = points.flatMap((p) => [
    { engine: p.engine, level: p.level, metric: 'ttft', stat: 'p50', ms: p.ttftP50Ms },
    { engine: p.engine, level: p.level, metric: 'ttft', stat: 'p95', ms: p.ttftP95Ms },
    { engine: p.engine, level: p.level, metric: 'e2e', stat: 'p50', ms: p.e2eP50Ms },
    { engine: p.engine, level: p.level, metric: 'e2e', stat: 'p95', ms: p.e2eP95Ms },
  ]).filter((r) => r.ms !== null);
  const sloRows = slo.rules.map((r) => ({ metric: r.metric, ms: r.ms, label: r.label }));
  const logX = levels[0]! > 0 && levels[levels.length - 1]! / levels[0]! >= 8;
  const x = {
    field: 'level',
    type: 'quantitative' as const,
    title: `${LEVEL_TITLE[kind]}${logX ? ', log scale' : ''}`,
    scale: { type: logX ? ('log' as const) : ('linear' as const), domain: [levels[0]!, levels[levels.length - 1]!], nice: false, padding: 16 },
    axis: { values: levels.length <= 12 ? levels : undefined, format: '~g' },
  };
  const colour = engineColour(engines);
  const throughput = { field: 'outputTokensPerS', type: 'quantitative' as const, title: 'Output throughput (tokens/s)' };
  const ring = { type: 'point' as const, shape: 'circle', size: 320, strokeWidth: 2.5, filled: false };

  const latencyPanel = (metric: 'ttft' | 'e2e', name: string) => {
    const values = latency.filter((r) => r.metric === metric).map((r) => r.ms!);
    const all = [...values, ...slo.rules.filter((r) => r.metric === metric).map((r) => r.ms)];
    const logY = wantsLog(all);
    const y = { field: 'ms', type: 'quantitative' as const, title: `${name} (ms${logY ? ', log scale' : ''})`, ...valueScale(logY) };
    const field = metric === 'ttft' ? 'ttftP95Ms' : 'e2eP95Ms';
    return {
      width: WIDTH,
      height: 200,
      layer: [
        {
          data: { name: 'latency' },
          transform: [{ filter: { field: 'metric', equal: metric } }],
          mark: { type: 'line' as const, strokeWidth: 2 },
          encoding: {
            x,
            y,
            color: colour,
            strokeDash: {
              field: 'stat',
              type: 'nominal' as const,
              title: 'Percentile',
              scale: { domain: ['p50', 'p95'], range: [[1, 0], [6, 3]] },
              legend: { symbolType: 'stroke', symbolStrokeColor: '#333333', symbolStrokeWidth: 2 },
            },
          },
        },
        {
          data: { name: 'latency' },
          transform: [{ filter: { field: 'metric', equal: metric } }],
          mark: { type: 'circle' as const, size: 30, opacity: 1 },
          encoding: { x, y, color: colour },
        },
        {
          data: { name: 'slo' },
          transform: [{ filter: { field: 'metric', equal: metric } }],
          mark: { type: 'rule' as const, color: '#333333', strokeDash: [3, 3], strokeWidth: 1.5 },
          encoding: { y },
        },
        {
          data: { name: 'slo' },
          transform: [{ filter: { field: 'metric', equal: metric } }],
          mark: { type: 'text' as const, align: 'right' as const, baseline: 'bottom' as const, dy: -3, color: '#333333', fontSize: 11 },
          encoding: { y, x: { value: WIDTH - 4 }, text: { field: 'label' } },
        },
        {
          data: { name: 'best' },
          mark: ring,
          encoding: { x, y: { ...y, field }, color: colour },
        },
      ],
    };
  };

  const hasSlo = slo.set;
  return {
    ...topLevel({
      title: `Load sweep: throughput and latency by ${LEVEL_NAME[kind]}`,
      description: describe(kind, points, levels, engines, slo, best),
      datasets: { sweep: rows, latency, slo: sloRows, best: bestRows },
      table: {
        dataset: 'sweep',
        columns: [
          { field: 'engine', title: 'Engine' },
          { field: 'phase', title: 'Phase' },
          { field: 'level', title: kind === 'concurrency' ? 'Concurrency' : 'Offered rate (requests/s)' },
          { field: 'requestsPerS', title: 'Throughput (requests/s)' },
          { field: 'outputTokensPerS', title: 'Output throughput (tokens/s)' },
          { field: 'ttftP50Ms', title: 'TTFT p50 (ms)' },
          { field: 'ttftP95Ms', title: 'TTFT p95 (ms)' },
          { field: 'e2eP50Ms', title: 'E2E p50 (ms)' },
          { field: 'e2eP95Ms', title: 'E2E p95 (ms)' },
          { field: 'failed', title: 'Failed requests' },
          { field: 'verdict', title: 'SLO verdict' },
          { field: 'highest', title: 'Highest load within SLO' },
        ],
      },
    }),
    // The key to the rules and rings, as a subtitle: a ring says "within SLO" without a label to collide.
    ...(hasSlo
      ? {
          title: {
            text: `Load sweep: throughput and latency by ${LEVEL_NAME[kind]}`,
            subtitle: `${slo.rules.length > 0 ? 'Dashed rules: objectives. ' : ''}Rings: each engine's highest ${LEVEL_NAME[kind]} meeting every objective (p50 solid, p95 dashed).`,
            subtitleFontSize: 11,
            subtitleColor: '#444444',
          },
        }
      : {}),
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: WIDTH,
        height: 200,
        layer: [
          {
            data: { name: 'sweep' },
            mark: { type: 'line', point: true, strokeWidth: 2 },
            encoding: { x, y: throughput, color: colour },
          },
          {
            data: { name: 'best' },
            mark: ring,
            encoding: { x, y: throughput, color: colour },
          },
        ],
      },
      latencyPanel('ttft', 'Time to first token'),
      latencyPanel('e2e', 'End-to-end latency'),
    ],
  };
}

function describe(kind: LoadKind, points: SweepPoint[], levels: number[], engines: string[], slo: Slo, best: Map<string, SweepPoint | null>): string {
  const unit = kind === 'concurrency' ? '' : ' requests/s';
  const level = (n: number): string => `${num(n)}${unit}`;
  const throughput = engines.map((engine) => {
    const own = points.filter((p) => p.engine === engine);
    const first = own[0]!;
    const last = own[own.length - 1]!;
    return own.length === 1
      ? `${engine} ${perS(first.outputTokensPerS)} at ${level(first.level)}`
      : `${engine} ${perS(first.outputTokensPerS)} at ${level(first.level)} to ${perS(last.outputTokensPerS)} at ${level(last.level)} (TTFT p95 ${ms(first.ttftP95Ms)} to ${ms(last.ttftP95Ms)})`;
  });
  const sloText = !slo.set
    ? 'No SLO set.'
    : `${slo.rules.length > 0 ? `Objectives drawn (dashed rules): ${list(slo.rules.map((r) => r.label.replace(/^SLO: /, '')))}. ` : ''}Highest ${LEVEL_NAME[kind]} meeting every objective (${list(slo.objectives)}), ringed: ${engines
        .map((e) => {
          const p = best.get(e) ?? null;
          return p === null ? `${e} none` : `${e} ${level(p.level)}`;
        })
        .join('; ')}. A level is met only when its 95 % intervals are within every objective.`;
  return [
    `Output throughput and p50 (solid) and p95 (dashed) latency of ${plural(engines.length, 'engine')} at ${plural(levels.length, `${LEVEL_NAME[kind]} level`)} (${list(levels.map(level))}).`,
    `Output throughput: ${throughput.join('; ')}.`,
    sloText,
  ].join(' ');
}
