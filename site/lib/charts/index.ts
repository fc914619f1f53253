// Every chart of one run: data derived once, a spec per applicable chart, each rendered to an
// accessible SVG with its table alternative and its downloadable spec.
import type { RequestRecord, Run } from '../../../collector/store/schema/index.ts';
import { isSimulated } from '../runs.ts';
import type { ChartData } from './data.ts';
import { chartDataAsync } from './data.ts';
import { e2eDistributionSpec } from './e2e-distribution.ts';
import { errorsOverTimeSpec } from './errors-over-time.ts';
import { itlHistogramSpec } from './itl-histogram.ts';
import { outputRateSpec } from './output-rate.ts';
import type { DataTable } from './render.ts';
import { dataTable, descriptionOf, renderSvg, specWithData, titleOf } from './render.ts';
import { serverSeriesSpec } from './server-series.ts';
import type { ChartSpec } from './spec.ts';
import { sweepKinds, sweepSpec } from './sweep.ts';
import { ttftDistributionSpec } from './ttft-distribution.ts';
import { ttftTimelineSpec } from './ttft-timeline.ts';

export type { ChartData } from './data.ts';
export { chartData, chartDataAsync, chartDataBuilder } from './data.ts';
export type { DataTable } from './render.ts';
export { dataTable, renderSvg, specWithData } from './render.ts';
export type { ChartSpec } from './spec.ts';

export interface RunChart {
  /** Stable, URL-safe: ttft-distribution, e2e-distribution, sweep, sweep-rate, ttft-timeline, … */
  id: string;
  title: string;
  description: string;
  svg: string;
  table: DataTable;
  spec: object;
}

/** The spec of every chart the run has data for, in page order. */
export function chartSpecs(data: ChartData): Array<{ id: string; spec: ChartSpec }> {
  const kinds = sweepKinds(data);
  const candidates: Array<[string, ChartSpec | null]> = [
    ['ttft-distribution', ttftDistributionSpec(data)],
    ['e2e-distribution', e2eDistributionSpec(data)],
    ...kinds.map((kind, i): [string, ChartSpec | null] => [i === 0 ? 'sweep' : `sweep-${kind}`, sweepSpec(data, kind)]),
    ['ttft-timeline', ttftTimelineSpec(data)],
    ['itl-histogram', itlHistogramSpec(data)],
    ['output-rate', outputRateSpec(data)],
    ['server-series', serverSeriesSpec(data)],
    ['errors-over-time', errorsOverTimeSpec(data)],
  ];
  return candidates.flatMap(([id, spec]) => (spec === null ? [] : [{ id, spec }]));
}

export async function runCharts(run: Run, records: Iterable<RequestRecord> | AsyncIterable<RequestRecord>): Promise<RunChart[]> {
  const data = await chartDataAsync(run, records);
  const charts: RunChart[] = [];
  for (const { id, spec } of chartSpecs(data)) {
    charts.push({
      id,
      title: titleOf(spec),
      description: descriptionOf(spec),
      svg: await renderSvg(spec, { id: `${run.id}-${id}` }),
      table: dataTable(spec),
      // The explore page reads this to put up its SIMULATED banner: the spec travels without its page.
      spec: { ...specWithData(spec), usermeta: { servebench: { simulated: isSimulated(run) } } },
    });
  }
  return charts;
}
