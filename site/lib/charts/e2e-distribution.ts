// End-to-end request latency: ECDF per engine over a box plot.
import type { ChartData } from './data.ts';
import { distributionSpec } from './distribution.ts';
import type { ChartSpec } from './spec.ts';

export function e2eDistributionSpec(data: ChartData): ChartSpec | null {
  return distributionSpec(data, data.e2e, {
    title: 'End-to-end latency',
    what: 'end-to-end latency (send to last byte)',
    axisTitle: 'End-to-end latency (ms)',
    unit: 'ms',
    better: 'lower',
  });
}
