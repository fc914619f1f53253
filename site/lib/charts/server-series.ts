// What the engines reported about themselves while the run went on: requests running, requests
// waiting and KV-cache use, scraped from their metrics endpoints, one panel per gauge.
import type { ChartData, ServerSeriesName } from './data.ts';
import { list, num, seconds } from './format.ts';
import type { ChartSpec } from './spec.ts';
import { engineColour, topLevel, WIDTH } from './spec.ts';

const GAUGES: ReadonlyArray<{ name: ServerSeriesName; title: string; unit: string; text: string }> = [
  { name: 'running', title: 'Running (requests)', unit: '', text: 'running' },
  { name: 'waiting', title: 'Waiting (requests)', unit: '', text: 'waiting' },
  { name: 'kvCacheUsage', title: 'KV cache use (%)', unit: ' %', text: 'KV cache use' },
];

export function serverSeriesSpec(data: ChartData): ChartSpec | null {
  const rows = data.server;
  if (rows.length === 0) return null;
  const gauges = GAUGES.filter((g) => rows.some((r) => r.series === g.name));
  const engines = data.engines.filter((e) => rows.some((r) => r.engine === e));
  const peaks = engines.map((engine) => {
    const parts = gauges.flatMap((g) => {
      const own = rows.filter((r) => r.engine === engine && r.series === g.name);
      if (own.length === 0) return [];
      const top = own.reduce((a, b) => (b.value > a.value ? b : a));
      return [`${g.text} peak ${num(top.value)}${g.unit} at ${seconds(top.tS)}`];
    });
    return `${engine}: ${parts.join(', ')}`;
  });
  const description = [
    `Engine-reported ${list(gauges.map((g) => g.text))} over the run, sampled from ${plural(engines.length)} metrics endpoint${engines.length === 1 ? '' : 's'}, one line per engine and phase.`,
    `${peaks.join('; ')}.`,
    data.engines.length > engines.length ? `No server metrics from ${list(data.engines.filter((e) => !engines.includes(e)))}.` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  const colour = engineColour(engines);
  const x = { field: 'tS', type: 'quantitative' as const, title: 'Time since run start (s)' };
  return {
    ...topLevel({
      title: 'Server metrics over the run',
      description,
      datasets: { server: rows },
      table: {
        dataset: 'server',
        columns: [
          { field: 'engine', title: 'Engine' },
          { field: 'phase', title: 'Phase' },
          { field: 'series', title: 'Gauge' },
          { field: 'tS', title: 'Time (s)' },
          { field: 'value', title: 'Value' },
        ],
        caption: 'Gauges as the engines reported them: running and waiting in requests, kvCacheUsage in percent of the KV cache.',
      },
    }),
    resolve: { scale: { x: 'shared' } },
    vconcat: gauges.map((g) => ({
      width: WIDTH,
      height: 120,
      data: { name: 'server' },
      transform: [{ filter: { field: 'series', equal: g.name } }],
      mark: { type: 'line' as const, strokeWidth: 1.75, point: rows.filter((r) => r.series === g.name).length <= 60 ? { size: 12 } : false },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative' as const, title: g.title, ...(g.name === 'kvCacheUsage' ? { scale: { domain: [0, 100] } } : { axis: { tickMinStep: 1 } }) },
        color: colour,
        detail: { field: 'phase', type: 'nominal' as const },
      },
    })),
  };
}

function plural(count: number): string {
  return count === 1 ? 'one' : String(count);
}
