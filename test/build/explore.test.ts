// The explore page: the only page with a script, which must be a file under the base's _astro/
// (the CSP allows no inline script), linked from every chart of every run page, which stay
// script-free; and what it does to a spec (zoom, tooltips) compiles and runs, in Vega's CSP-safe
// mode, for every chart kind the site draws. One build under a PR-preview base, of the golden and
// the demo run: between them they have every chart kind.
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import * as vegaLite from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORE_PAGE, explorePath, parseSpecParam, reportChartPath } from '../../site/lib/explore/path.ts';
import { interactiveSpec } from '../../site/lib/explore/spec.ts';
import { DEMO_DIR, DEMO_ID, GOLDEN_DIR, GOLDEN_ID } from './fixtures.ts';
import { filesUnder, siteBuild } from './site-build.ts';

const BASE = '/servebench/pr-1/';
/** Every chart id the charts module gives (sweep-rate is sweep's spec over another load kind). */
const CHART_KINDS = ['e2e-distribution', 'errors-over-time', 'itl-histogram', 'output-rate', 'server-series', 'sweep', 'ttft-distribution', 'ttft-timeline'];

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

const decodeEntities = (text: string): string => text.replace(/&amp;/g, '&');

describe('the explore page in the built site', () => {
  let tmp: string;
  let dist: string;
  const html = new Map<string, string>();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-explore-'));
    const runs = join(tmp, 'runs');
    await cp(GOLDEN_DIR, join(runs, GOLDEN_ID), { recursive: true });
    await cp(DEMO_DIR, join(runs, DEMO_ID), { recursive: true });
    dist = join(tmp, 'dist');
    const built = await siteBuild(['--runs', runs, '--out', dist, '--base', BASE], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${`${built.stdout}${built.stderr}`}`);
    for (const file of (await filesUnder(dist)).filter((f) => f.endsWith('.html'))) html.set(relative(dist, file), await readFile(file, 'utf8'));
  }, 120_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('loads its script as a module file under the base, never inline, and says what it is without it', async () => {
    const page = html.get(join(EXPLORE_PAGE, 'index.html'))!;
    expect(page).toBeDefined();
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';`);
    expect(page).not.toContain('unsafe-eval');
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(1);
    expect((page.match(/<script\b/gi) ?? []).length).toBe(1);
    const [, attributes, body] = scripts[0]!;
    expect(body!.trim()).toBe('');
    expect(attributes).toContain('type="module"');
    const src = /\ssrc="([^"]+)"/.exec(attributes!)?.[1];
    expect(src).toMatch(new RegExp(`^${BASE}_astro/[\\w.-]+\\.js$`));
    expect(await exists(join(dist, src!.slice(BASE.length)))).toBe(true);
    // without the script: what the page is, that the data may be simulated, and the way back
    expect(page).toContain('<h1>Explore a chart</h1>');
    expect(page).toContain('The chart’s data may come from a simulated engine');
    expect(page).toMatch(/<noscript>.*JavaScript is off.*<\/noscript>/s);
    expect(page).toContain(`<a id="explore-report" href="${BASE}">All runs</a>`);
    expect(page).toContain(`data-base="${BASE}"`);
  });

  it('links every chart of every run page to the explore page with the path of its spec, and run pages load no script', async () => {
    const runPages = [...html.keys()].filter((p) => /^runs\/[^/]+\/index\.html$/.test(p));
    expect(runPages).toHaveLength(2);
    const kinds = new Set<string>();
    for (const path of runPages) {
      const page = html.get(path)!;
      const runId = path.split('/')[1]!;
      expect(page, path).not.toMatch(/<script/i);
      const figures = [...page.matchAll(/<figure class="chart" id="chart-([a-z0-9-]+)"/g)].map((m) => m[1]!);
      const links = [...page.matchAll(/href="([^"]*\/explore\/\?spec=[^"]*)"/g)].map((m) => new URL(decodeEntities(m[1]!), 'http://site.test'));
      expect(figures.length, path).toBeGreaterThan(0);
      expect(links.map((l) => l.pathname)).toEqual(figures.map(() => `${BASE}${EXPLORE_PAGE}`));
      for (const [i, link] of links.entries()) {
        const target = parseSpecParam(link.searchParams.get('spec'));
        expect(target, link.href).toEqual({ specPath: `runs/${runId}/charts/${figures[i]}.vl.json`, runId, chartId: figures[i] });
        expect(link.pathname + link.search).toBe(`${BASE}${explorePath(target!.specPath)}`);
        expect(page).toContain(`href="${BASE}${target!.specPath}"`); // the download beside it
        expect(await exists(join(dist, target!.specPath)), target!.specPath).toBe(true);
        expect(page).toContain(`id="${reportChartPath(target!).split('#')[1]}"`); // the way back lands on the chart
        kinds.add(target!.chartId);
      }
    }
    expect([...kinds].sort()).toEqual(CHART_KINDS);
    for (const [path, text] of html) if (path !== join(EXPLORE_PAGE, 'index.html')) expect(text, path).not.toMatch(/<script/i);
  });

  it('draws every chart kind zoomable, with tooltips, with expressions interpreted rather than compiled', async () => {
    const specs = (await filesUnder(join(dist, 'runs'))).filter((f) => f.endsWith('.vl.json'));
    const zoomed = new Map<string, number>();
    for (const file of specs) {
      const spec = interactiveSpec(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>);
      const errors: string[] = [];
      const logger = vega.logger(vega.Error); // warnings here are Node-only (no window to listen on) or empty layers
      logger.error = (...args: readonly unknown[]) => (errors.push(args.join(' ')), logger);
      const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec, { logger }).spec;
      const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter, logger });
      await view.runAsync();
      expect(await view.toSVG(), file).toContain('<svg');
      view.finalize();
      expect(errors, file).toEqual([]);
      const text = JSON.stringify(spec);
      expect(text).not.toContain('usermeta');
      zoomed.set(relative(dist, file).split('/').at(-1)!.replace('.vl.json', ''), (text.match(/"bind":"scales"/g) ?? []).length);
      // a scale bound to the selection: this is what zooms
      expect(JSON.stringify(compiled), file).toMatch(/"domainRaw":\{"signal":"zoom\[/);
    }
    expect([...zoomed.keys()].sort()).toEqual(CHART_KINDS);
    // one selection per view that can pan; the concatenated views sharing x share it
    expect(Object.fromEntries(zoomed)).toEqual({
      'e2e-distribution': 1,
      'errors-over-time': 1,
      'itl-histogram': 1,
      'output-rate': 1,
      'server-series': 3,
      sweep: 3,
      'ttft-distribution': 1,
      'ttft-timeline': 1,
    });
  });
});

describe('the spec parameter of the explore page', () => {
  it('accepts a chart spec path of this site, as a report page writes it', () => {
    const path = `runs/${GOLDEN_ID}/charts/ttft-distribution.vl.json`;
    expect(parseSpecParam(new URL(`http://x${BASE}${explorePath(path)}`).searchParams.get('spec'))).toEqual({ specPath: path, runId: GOLDEN_ID, chartId: 'ttft-distribution' });
    expect(reportChartPath(parseSpecParam(path)!)).toBe(`runs/${GOLDEN_ID}/#chart-ttft-distribution`);
  });

  it('refuses anything else: other origins, schemes, traversal, escapes and other files', () => {
    for (const bad of [
      null,
      '',
      'https://evil.example/x.json',
      '//evil.example/runs/a/charts/b.vl.json',
      'javascript:alert(1)',
      '../../etc/passwd',
      `runs/../../charts/b.vl.json`,
      `runs/a/charts/../b.vl.json`,
      `/runs/a/charts/b.vl.json`,
      `runs/a/charts/b.vl.json?x=1`,
      `runs/a/charts/b.vl.json#x`,
      `runs/a%2F..%2Fb/charts/c.vl.json`,
      `runs\\a\\charts\\b.vl.json`,
      `runs/A/charts/b.vl.json`,
      `runs/a/run.json`,
      `runs/a/charts/b.vl.json\n`,
      `runs/a/charts/b.vl.jsonx`,
      `xruns/a/charts/b.vl.json`,
    ]) {
      expect(parseSpecParam(bad), String(bad)).toBeNull();
    }
  });
});

describe('interactiveSpec', () => {
  const unit = (x: object, y: object) => ({ mark: 'point', encoding: { x, y } });
  const q = (field: string) => ({ field, type: 'quantitative' });
  const n = (field: string) => ({ field, type: 'nominal' });

  it('zooms a single view in x and y, once per layer, and leaves views it cannot zoom alone', () => {
    expect(interactiveSpec(unit(q('a'), q('b'))).params).toEqual([{ name: 'zoom', select: 'interval', bind: 'scales' }]);
    expect(interactiveSpec(unit(q('a'), n('b'))).params).toBeUndefined();
    expect(interactiveSpec(unit({ ...q('a'), bin: true }, q('b'))).params).toBeUndefined();
    const layered = interactiveSpec({ encoding: { x: q('a') }, layer: [{ mark: 'rule', encoding: { y: n('k') } }, { mark: 'line', encoding: { y: q('b') } }, { mark: 'point', encoding: { y: q('c') } }] });
    expect((layered.layer as { params?: unknown[] }[]).map((l) => l.params?.length ?? 0)).toEqual([0, 1, 0]);
  });

  it('pans concatenated views that share x together, in x only, and keeps usermeta out', () => {
    const spec = interactiveSpec({ usermeta: { embedOptions: { loader: { baseURL: 'https://evil.example/' } } }, resolve: { scale: { x: 'shared' } }, vconcat: [unit(q('t'), q('a')), unit(q('t'), q('b')), unit(q('other'), q('c')), unit(q('t'), n('d'))] });
    expect(spec.usermeta).toBeUndefined();
    const params = (spec.vconcat as { params?: unknown[] }[]).map((v) => v.params);
    const x = { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' };
    expect(params).toEqual([[x], [x], undefined, [x]]);
    expect(spec.config).toMatchObject({ mark: { tooltip: true }, line: { tooltip: false } });
  });
});
