// Failed requests over the run, by error kind, in time bins, one row per engine that had failures.
import type { ChartData } from './data.ts';
import { list, num, plural, seconds } from './format.ts';
import type { ChartSpec } from './spec.ts';
import { errorKindColour, topLevel, WIDTH } from './spec.ts';

export function errorsOverTimeSpec(data: ChartData): ChartSpec | null {
  const errors = data.errors;
  if (errors.failed === 0) return null;
  const engines = data.engines.filter((e) => errors.totals.some((t) => t.engine === e));
  const byKind = errors.kinds.map((kind) => {
    const own = errors.totals.filter((t) => t.kind === kind);
    const count = own.reduce((sum, t) => sum + t.count, 0);
    return `${kind} ${count} (${own.map((t) => `${t.engine} ${t.count}`).join(', ')})`;
  });
  const perBin = new Map<string, { engine: string; startS: number; count: number }>();
  for (const bin of errors.bins) {
    const key = JSON.stringify([bin.engine, bin.startS]);
    const cell = perBin.get(key) ?? { engine: bin.engine, startS: bin.startS, count: 0 };
    cell.count += bin.count;
    perBin.set(key, cell);
  }
  const peak = [...perBin.values()].reduce((a, b) => (b.count > a.count ? b : a));
  const share = (errors.failed / Math.max(1, errors.total)) * 100;
  const description = [
    `${errors.failed} of ${plural(errors.total, 'measured request')} failed (${num(share)} %), warm-up excluded, counted by when they failed in ${seconds(errors.binS)} bins.`,
    `By kind: ${byKind.join('; ')}.`,
    `Most failures in one bin: ${peak.count} (${peak.engine}, from ${seconds(peak.startS)}).`,
    data.engines.length > engines.length ? `No failures for ${list(data.engines.filter((e) => !engines.includes(e)))}.` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    ...topLevel({
      title: 'Failed requests over the run',
      description,
      datasets: { bins: errors.bins },
      table: {
        dataset: 'bins',
        columns: [
          { field: 'engine', title: 'Engine' },
          { field: 'kind', title: 'Error kind' },
          { field: 'startS', title: 'From (s)' },
          { field: 'endS', title: 'To (s)' },
          { field: 'count', title: 'Failed requests' },
        ],
      },
    }),
    data: { name: 'bins' },
    facet: {
      row: {
        field: 'engine',
        type: 'nominal',
        sort: engines,
        title: null,
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold', labelLimit: 300 },
      },
    },
    spacing: 8,
    spec: {
      width: WIDTH,
      height: 80,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'startS', type: 'quantitative', bin: 'binned', title: 'Time since run start (s)', scale: { domain: errors.spanS, nice: false } },
        x2: { field: 'endS' },
        y: { field: 'count', type: 'quantitative', title: 'Failures (count)', stack: 'zero', axis: { tickMinStep: 1 } },
        color: errorKindColour(errors.kinds),
      },
    },
  };
}
