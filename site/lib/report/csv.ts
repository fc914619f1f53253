// CSV exports of a run, RFC 4180 (CRLF line ends, quoted when needed). Text that came from a
// run (labels, names, error kinds) is guarded against spreadsheet formula injection.
import { requestMetrics } from '../../../collector/metrics/request-metrics.ts';
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { engineQueueMax } from './report.ts';
import { successRate } from '../runs.ts';

type Cell = string | number | boolean | null | undefined;

/** A text cell: a leading =, +, -, @, tab or CR would make a spreadsheet evaluate it, so it gets a quote mark. */
function text(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '') : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

const STATS = ['p50', 'p90', 'p95', 'p99', 'mean', 'max'] as const;
const DISTS = [
  ['ttft_ms', 'ttftMs'],
  ['tpot_ms', 'tpotMs'],
  ['itl_ms', 'itlMs'],
  ['e2e_ms', 'e2eMs'],
] as const;

export const SUMMARY_HEADER = [
  'run_id',
  'engine',
  'kind',
  'version',
  'model',
  'simulated',
  'phase',
  'load_shape',
  'requests_total',
  'requests_ok',
  'requests_failed',
  'requests_dropped',
  'requests_warmup',
  'success_rate',
  'duration_s',
  'requests_per_s',
  'output_tokens_per_s',
  'input_tokens',
  'output_tokens',
  ...DISTS.flatMap(([name]) => STATS.map((s) => `${name}_${s}`)),
  'send_lag_ms_p99',
  'engine_queue_max',
  'errors_by_kind',
];

/** One row per engine and phase, every summary number of run.json. */
export function summaryCsv(run: Run): string {
  const rows = run.engines.flatMap((engine) =>
    engine.phases.map((phase): Cell[] => [
      run.id,
      text(engine.label),
      text(engine.kind),
      text(engine.info.version),
      text(engine.model),
      engine.simulated,
      text(phase.name),
      text(phase.load.shape),
      phase.requests.total,
      phase.requests.ok,
      phase.requests.failed,
      phase.requests.dropped,
      phase.requests.warmup,
      successRate(phase),
      phase.window.durationS,
      phase.requestsPerS,
      phase.outputTokensPerS,
      phase.inputTokens,
      phase.outputTokens,
      ...DISTS.flatMap(([, key]) => STATS.map((s) => phase[key][s])),
      phase.sendLagMs?.p99 ?? null,
      engineQueueMax(phase),
      text(
        Object.entries(phase.errorsByKind)
          .map(([k, n]) => `${k}=${n}`)
          .join(';'),
      ),
    ]),
  );
  return toCsv(SUMMARY_HEADER, rows);
}

export const REQUESTS_HEADER = ['phase', 'engine', 'seq', 'sentMs', 'ttftMs', 'e2eMs', 'outputTokens', 'status', 'errorKind', 'warmup', 'promptId'];

/** One row per raw request, timings as the run's definitions derive them. */
export function requestsCsv(records: Iterable<RequestRecord>): string {
  const rows: Cell[][] = [];
  for (const r of records) {
    const m = requestMetrics(r);
    rows.push([text(r.phase), text(r.engine), r.seq, r.sentMs, m.ttftMs, m.e2eMs, r.outputTokens, r.status, r.error?.kind ?? null, r.warmup, text(r.promptId)]);
  }
  return toCsv(REQUESTS_HEADER, rows);
}
