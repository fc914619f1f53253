// Per engine and phase, the headline numbers: printed after a collection and by `runs show`.
import type { Distribution, EngineRun, Run } from '../store/schema/index.ts';
import { clean, table } from '../text-table.ts';

function percentiles(d: Distribution): string[] {
  return [d.p50, d.p95, d.p99].map((v) => (v === null ? '-' : v.toFixed(1)));
}

export function engineName(e: EngineRun): string {
  return `${clean(e.label)}${e.simulated ? ' SIMULATED' : ''}`;
}

function maxWaiting(phase: EngineRun['phases'][number]): string {
  const series = phase.server?.series.find((s) => s.name === 'waiting');
  if (!series || series.points.length === 0) return '-';
  return String(Math.max(...series.points.map(([, v]) => v)));
}

export function resultsTable(run: Pick<Run, 'engines'>): string {
  const rows = run.engines.flatMap((e) =>
    e.phases.map((p) => [
      engineName(e),
      clean(p.name),
      String(p.requests.ok),
      String(p.requests.failed),
      String(p.requests.dropped),
      ...percentiles(p.ttftMs),
      ...percentiles(p.tpotMs),
      ...percentiles(p.e2eMs),
      p.outputTokensPerS.toFixed(1),
      p.sendLagMs?.p99 === null || p.sendLagMs === undefined ? '-' : p.sendLagMs.p99.toFixed(1),
      maxWaiting(p),
    ]),
  );
  const header = ['ENGINE', 'PHASE', 'OK', 'FAILED', 'DROPPED', 'TTFT p50', 'p95', 'p99', 'TPOT p50', 'p95', 'p99', 'E2E p50', 'p95', 'p99', 'OUT TOK/S', 'LAG p99', 'QUEUE max'];
  const body = rows.length === 0 ? '  (no phases measured)' : table(header, rows, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]).trimEnd().replace(/^/gm, '  ');
  return `results (latencies in ms; output tokens/s over the phase window; LAG = send lag; QUEUE = engine's own waiting count)\n${body}`;
}
