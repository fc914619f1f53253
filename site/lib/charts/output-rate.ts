// Each request's own output rate after its first token: ECDF per engine over a box plot.
import type { ChartData } from './data.ts';
import { distributionSpec } from './distribution.ts';
import type { ChartSpec } from './spec.ts';

export function outputRateSpec(data: ChartData): ChartSpec | null {
  return distributionSpec(data, data.outputRate, {
    title: 'Output rate per request',
    what: 'per-request output rate (tokens after the first, over the decode time)',
    axisTitle: 'Output rate per request (tokens/s)',
    unit: 'tokens/s',
    better: 'higher',
  });
}
