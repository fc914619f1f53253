// TTFT over the run: each measured request at its send time, coloured by engine, with a rolling
// median line per engine, to show warm-up effects, queue build-up and stalls.
import type { ChartData } from './data.ts';
import { MAX_ROWS } from './data.ts';
import { ms, plural, seconds } from './format.ts';
import type { ChartSpec } from './spec.ts';
import { engineColour, topLevel, valueScale, wantsLog, WIDTH } from './spec.ts';

export function ttftTimelineSpec(data: ChartData): ChartSpec | null {
  const { points, median, window } = data.timeline;
  if (points.length === 0) return null;
  const timed = data.ttft.count;
  const perEngine = data.ttft.engines.map((s) => {
    const worst = points.filter((p) => p.engine === s.engine).reduce((a, b) => (b.ttftMs > a.ttftMs ? b : a));
    return `${s.engine} median ${ms(s.p50)}, slowest ${ms(worst.ttftMs)} sent at ${seconds(worst.sentS)}`;
  });
  const description = [
    `Time to first token of each of ${plural(timed, 'successful request')}, warm-up excluded, placed at its send time${points.length < timed ? ` (${points.length} shown, thinned evenly keeping each engine's fastest and slowest)` : ''}.`,
    median.length > 0 ? `Lines are each engine's rolling median over its last ${window} requests.` : '',
    `${perEngine.join('; ')}.`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  const colour = engineColour(data.engines);
  const x = { field: 'sentS', type: 'quantitative' as const, title: 'Send time since run start (s)' };
  const log = wantsLog(points.map((p) => p.ttftMs));
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: `Time to first token (ms${log ? ', log scale' : ''})`, ...valueScale(log) });
  return {
    ...topLevel({
      title: 'Time to first token over the run',
      description,
      datasets: { points, median },
      table: {
        dataset: 'points',
        columns: [
          { field: 'engine', title: 'Engine' },
          { field: 'phase', title: 'Phase' },
          { field: 'sentS', title: 'Sent at (s)' },
          { field: 'ttftMs', title: 'TTFT (ms)' },
        ],
        caption:
          points.length < timed
            ? `The plotted requests: ${points.length} of ${timed}, thinned to at most ${Math.floor(MAX_ROWS / 2)} in all.`
            : 'Every measured request with a first token.',
      },
    }),
    width: WIDTH,
    height: 280,
    layer: [
      {
        data: { name: 'points' },
        mark: { type: 'circle', size: 18, opacity: 0.45 },
        encoding: { x, y: y('ttftMs'), color: colour },
      },
      {
        data: { name: 'median' },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: { x, y: y('medianMs'), color: colour },
      },
    ],
  };
}
