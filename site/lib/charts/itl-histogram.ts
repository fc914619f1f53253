// Inter-token latency: the gaps between consecutive streamed text chunks, binned on shared bins,
// one row per engine, as each engine's share of its own gaps (engines with more gaps compare fairly).
import type { ChartData } from './data.ts';
import { list, ms, num, plural } from './format.ts';
import type { ChartSpec } from './spec.ts';
import { engineColour, topLevel, WIDTH } from './spec.ts';

export function itlHistogramSpec(data: ChartData): ChartSpec | null {
  const itl = data.itl;
  if (itl.count === 0) return null;
  const withData = data.engines.filter((e) => itl.engines.some((s) => s.engine === e));
  const lower = Math.min(...itl.bins.map((b) => b.startMs));
  const upper = Math.max(...itl.bins.map((b) => b.endMs));
  const beyond = itl.beyond.filter((b) => b.count > 0);
  const beyondTotal = beyond.reduce((sum, b) => sum + b.count, 0);
  const description = [
    `Inter-token latency: ${plural(itl.count, 'gap')} between consecutive streamed text chunks of successful requests from ${plural(withData.length, 'engine')}, warm-up excluded, in ${num(itl.binMs)} ms bins, each bar the share of that engine's gaps.`,
    `Median and p99: ${itl.engines.map((s) => `${s.engine} ${ms(s.p50)} and ${ms(s.p99)}`).join('; ')}.`,
    beyondTotal > 0
      ? `${plural(beyondTotal, 'gap')} above ${ms(itl.upperMs)} ${beyondTotal === 1 ? 'is' : 'are'} not drawn (${list(beyond.map((b) => `${b.engine} ${b.count}`))}); the longest was ${ms(Math.max(...itl.engines.map((s) => s.max)))}.`
      : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    ...topLevel({
      title: 'Inter-token latency',
      description,
      datasets: { bins: itl.bins, stats: itl.engines },
      table: {
        dataset: 'stats',
        columns: [
          { field: 'engine', title: 'Engine' },
          { field: 'count', title: 'Gaps' },
          { field: 'min', title: 'Min (ms)' },
          { field: 'p50', title: 'Median (ms)' },
          { field: 'p90', title: 'P90 (ms)' },
          { field: 'p95', title: 'P95 (ms)' },
          { field: 'p99', title: 'P99 (ms)' },
          { field: 'max', title: 'Max (ms)' },
        ],
        caption: `Summary statistics of every gap; the chart bins them in ${num(itl.binMs)} ms bins up to ${ms(itl.upperMs)}.`,
      },
    }),
    data: { name: 'bins' },
    facet: {
      row: {
        field: 'engine',
        type: 'nominal',
        sort: withData,
        title: null,
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold', labelLimit: 300 },
      },
    },
    spacing: 8,
    spec: {
      width: WIDTH,
      height: 100,
      mark: { type: 'bar', binSpacing: 0 },
      encoding: {
        x: { field: 'startMs', type: 'quantitative', bin: 'binned', title: 'Inter-token latency (ms)', scale: { domain: [lower, upper], nice: false } },
        x2: { field: 'endMs' },
        y: { field: 'share', type: 'quantitative', title: 'Share of gaps (%)' },
        color: engineColour(data.engines, false),
      },
    },
  };
}
