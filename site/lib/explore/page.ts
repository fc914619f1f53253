// The explore page's script, the only script on the site (Astro bundles it into /_astro/; the
// report pages link to the page and load nothing). It reads `?spec=`, accepts only a chart spec
// path of this site, fetches it from the site's own origin under the base and draws it with
// vega-embed in Vega's CSP-safe mode: expressions are interpreted from their syntax tree (`ast`,
// vega-interpreter) instead of compiled with `new Function`, which the page's CSP forbids.
// Vega is imported only once the parameter has passed, so a refused link loads nothing more.
import type { VisualizationSpec } from 'vega-embed';
import { parseSpecParam, reportChartPath } from './path.ts';
import { interactiveSpec } from './spec.ts';

/** Every character that means something in HTML: the tooltip's values are run data (engine labels), and it writes innerHTML. */
function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the explore page has no #${id}`);
  return found;
}

async function fetchSpec(url: URL): Promise<Record<string, unknown>> {
  // Same origin, no credentials beyond the site's own, and no redirect to follow elsewhere.
  const response = await fetch(url, { credentials: 'same-origin', redirect: 'error' });
  if (!response.ok) throw new Error(`the spec answered HTTP ${response.status}`);
  const spec: unknown = await response.json();
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error('the spec is not a JSON object');
  return spec as Record<string, unknown>;
}

export async function startExplore(): Promise<void> {
  const status = element('explore-status', HTMLElement);
  const chart = element('explore-chart', HTMLElement);
  const base = chart.dataset.base ?? '/';
  const say = (text: string) => (status.textContent = text);

  const param = new URLSearchParams(location.search).get('spec');
  const target = parseSpecParam(param);
  if (target === null) {
    // The parameter is never echoed: the page shows only text it wrote itself.
    say(
      param === null
        ? 'No chart named. Open one with “Explore interactively” under a chart on a run’s report page.'
        : 'Refused: this link does not name a chart of this site, so nothing was loaded. Open a chart from its run’s report page.',
    );
    status.classList.add('explore-refused');
    return;
  }
  const url = new URL(`${base}${target.specPath}`, location.origin);
  if (url.origin !== location.origin) throw new Error('the spec is not on this site'); // the pattern already rules it out

  const report = element('explore-report', HTMLAnchorElement);
  report.href = `${base}${reportChartPath(target)}`;
  report.textContent = 'Back to the report';
  const download = element('explore-spec', HTMLAnchorElement);
  download.href = `${base}${target.specPath}`;
  download.download = `${target.runId}-${target.chartId}.vl.json`;
  download.hidden = false;

  say('Loading the chart…');
  const [spec, { default: embed }, { expressionInterpreter }] = await Promise.all([fetchSpec(url), import('vega-embed'), import('vega-interpreter')]);
  // The build marks the specs of runs that measured the simulator; demo numbers never pass for a real engine's.
  const meta = spec['usermeta'];
  const simulated = typeof meta === 'object' && meta !== null && (meta as { servebench?: { simulated?: unknown } }).servebench?.simulated === true;
  element('explore-simulated', HTMLElement).hidden = !simulated;
  await embed(chart, interactiveSpec(spec) as VisualizationSpec, {
    ast: true,
    expr: expressionInterpreter,
    renderer: 'svg',
    // No actions menu (its editor link leaves the site), and no <style> element: the CSP allows
    // only the site's stylesheet, which styles the chart and its tooltip instead.
    actions: false,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, sanitize: escapeHtml },
  });
  say('Drag to pan, scroll to zoom, double-click to reset. Hover a mark for its values.');
}
