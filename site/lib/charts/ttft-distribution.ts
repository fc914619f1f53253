// Time to first token: ECDF per engine over a box plot.
import type { ChartData } from './data.ts';
import { distributionSpec } from './distribution.ts';
import type { ChartSpec } from './spec.ts';

export function ttftDistributionSpec(data: ChartData): ChartSpec | null {
  return distributionSpec(data, data.ttft, {
    title: 'Time to first token',
    what: 'time to first token (TTFT)',
    axisTitle: 'Time to first token (ms)',
    unit: 'ms',
    better: 'lower',
  });
}
