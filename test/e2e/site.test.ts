// The published site in a real browser, served under a non-root base path as on GitHub Pages or a
// PR preview: no console error, no failed or off-origin request, charts visible, every internal
// link resolves, and axe-core finds no serious or critical accessibility violation. The explore
// page runs its script under the site's own CSP: a chart drawn, zoomed and hovered without a
// violation, and a spec from anywhere else refused before anything is fetched.
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { captureIO } from '../support/capture-io.ts';
import { SLOWER_ID, SWEEP_ID, writeSlowerSweep } from '../support/slower-sweep.ts';
import { launchBrowser } from './browser.ts';
import { serveStatic } from './static-server.ts';

const BASE = '/servebench/pr-1/';
const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

describe('the report site in a browser', () => {
  let tmp: string;
  let out: string;
  let browser: Browser;
  let server: { origin: string; close: () => Promise<void> };
  let demoId: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-e2e-'));
    const runs = join(tmp, 'runs');
    await cp(join(REPO, 'runs'), runs, { recursive: true });
    await cp(join(REPO, 'test/fixtures/runs/golden'), join(runs, 'golden'), { recursive: true });
    // runs judged against objectives, with cost assumptions and notes, and one engine that failed every request
    await cp(join(REPO, 'test/fixtures/runs/slo-sweep'), join(runs, 'slo-sweep'), { recursive: true });
    await cp(join(REPO, 'test/fixtures/runs/all-failed'), join(runs, 'all-failed'), { recursive: true });
    // a later copy of the sweep, 15 % slower in one engine's decoding: its diff page against the sweep
    await writeSlowerSweep(runs);
    await writeFile(
      join(runs, 'slo-sweep', 'notes.mdx'),
      '# Why we ran this\n\nAt 8 users vllm-sim answered in <Metric engine="vllm-sim" phase="c8" metric="e2e" stat="p50"/>: <Verdict engine="vllm-sim" phase="c8"/>.\n\n<Chart name="sweep"/>\n',
    );
    demoId = (await readdir(join(REPO, 'runs'))).filter((name) => name.includes('demo'))[0]!;
    out = join(tmp, 'dist');
    const io = captureIO(REPO);
    const code = await main(['site', 'build', '--runs', runs, '--out', out, '--base', BASE], io);
    if (code !== 0) throw new Error(`site build failed (${code}):\n${io.err()}`);
    server = await serveStatic(out, BASE);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  /**
   * Opens a page and records what went wrong. `enforceCsp` keeps the site's CSP in force and
   * records its violations (the explore page's script must run under it); otherwise the CSP is
   * bypassed so that axe, injected as an inline script the CSP rightly forbids, can run.
   */
  const visit = async (path: string, { enforceCsp = false } = {}) => {
    const page = await browser.newPage();
    if (!enforceCsp) await page.setBypassCSP(true);
    const consoleErrors: string[] = [];
    const cspViolations: string[] = [];
    const failed: string[] = [];
    const offOrigin: string[] = [];
    const requests: string[] = [];
    await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (globalThis as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('request', (request) => {
      const url = request.url();
      requests.push(url);
      if (!url.startsWith(server.origin) && !url.startsWith('data:')) offOrigin.push(url);
    });
    const response = await page.goto(`${server.origin}${BASE}${path}`, { waitUntil: 'networkidle0' });
    return { page, response, consoleErrors, cspViolations, failed, offOrigin, requests };
  };

  /** Runs axe on an open page (its CSP bypassed) and returns the serious and critical violations. */
  const seriousAxeViolations = async (page: Page): Promise<string[]> => {
    await page.addScriptTag({ content: axe.source });
    return page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run();
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
    });
  };

  /** The explore links of a run report, as written (relative to the origin). */
  const exploreLinks = async (runId: string): Promise<string[]> =>
    [...(await readFile(join(out, 'runs', runId, 'index.html'), 'utf8')).matchAll(/href="([^"]*\/explore\/\?spec=[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

  const statusText = (page: Page) => page.$eval('#explore-status', (el) => el.textContent ?? '');

  for (const [name, path] of [
    ['the runs index', ''],
    ['a run report', 'RUN/'],
    ['a responses page', 'RUN/responses/'],
    ['an executive summary', 'RUN/executive/'],
    ['the executive summary of a sweep judged against objectives, with costs and notes', 'runs/20261202-090740-slo-sweep-baa9/executive/'],
    ['the report of a sweep judged against objectives', 'runs/20261202-090740-slo-sweep-baa9/'],
    ['the executive summary of a run where an engine failed every request', 'runs/20261202-090852-all-failed-35da/executive/'],
    ['the diff page of the slower sweep against the sweep', `diff/${SWEEP_ID}...${SLOWER_ID}/`],
  ] as const) {
    it(`shows ${name} with no console error, no failed or off-origin request, and no serious axe violation`, async () => {
      const { page, response, consoleErrors, failed, offOrigin } = await visit(path.replace('RUN', `runs/${demoId}`));
      expect(response?.status()).toBe(200);
      expect(consoleErrors).toEqual([]);
      expect(failed).toEqual([]);
      expect(offOrigin).toEqual([]);
      expect(await page.content()).toContain('SIMULATED');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('fits a phone: the executive summary, the report and a diff page scroll only inside their tables and charts', async () => {
    for (const path of ['runs/20261202-090740-slo-sweep-baa9/executive/', 'runs/20261202-090740-slo-sweep-baa9/', 'runs/20261202-090852-all-failed-35da/executive/', `diff/${SWEEP_ID}...${SLOWER_ID}/`]) {
      const { page } = await visit(path);
      await page.setViewport({ width: 390, height: 844 });
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(widths[0], path).toBeLessThanOrEqual(widths[1]!);
      await page.close();
    }
  });

  it('draws the interval chart of a diff page visibly, and the head run report links the page', async () => {
    const { page } = await visit(`runs/${SLOWER_ID}/`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('.previous-diff a')]);
    expect(new URL(page.url()).pathname).toBe(`${BASE}diff/${SWEEP_ID}...${SLOWER_ID}/`);
    const area = await page.$eval('figure.diff-chart svg', (svg) => svg.getBoundingClientRect().width * svg.getBoundingClientRect().height);
    expect(area).toBeGreaterThan(10_000);
    await page.close();
  });

  it('draws every chart of a run report visibly', async () => {
    const { page } = await visit(`runs/${demoId}/`);
    const sizes = await page.$$eval('figure svg', (svgs) => svgs.map((svg) => svg.getBoundingClientRect()).map((r) => r.width * r.height));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.every((area) => area > 1000)).toBe(true);
    await page.close();
  });

  it('draws a chart on the explore page under the CSP, from the site alone, and zooms it', async () => {
    const links = await exploreLinks(demoId);
    expect(links.length).toBeGreaterThanOrEqual(3);
    const link = links.find((l) => l.includes('ttft-timeline')) ?? links[0]!;
    expect(link.startsWith(`${BASE}explore/?spec=`)).toBe(true);
    const { page, response, consoleErrors, cspViolations, failed, offOrigin, requests } = await visit(link.slice(BASE.length), { enforceCsp: true });
    expect(response?.status()).toBe(200);
    await page.setViewport({ width: 1280, height: 2000 }); // the whole chart on screen: the mouse only reaches the viewport
    await page.waitForFunction(() => /Drag to pan/.test(document.getElementById('explore-status')?.textContent ?? ''), { timeout: 20_000 });
    const area = await page.$eval('#explore-chart svg', (svg) => svg.getBoundingClientRect().width * svg.getBoundingClientRect().height);
    expect(area).toBeGreaterThan(10_000);
    expect(await page.$$eval('#explore-chart svg .mark-symbol path, #explore-chart svg .mark-rect path', (marks) => marks.length)).toBeGreaterThan(3);
    // the spec, fetched once from the site under the base; the links now lead to this chart
    const spec = new URL(link, server.origin).searchParams.get('spec')!;
    expect(requests.filter((url) => new URL(url).pathname.endsWith('.vl.json'))).toEqual([`${server.origin}${BASE}${spec}`]);
    expect(await page.$eval('#explore-report', (a) => a.getAttribute('href'))).toBe(`${BASE}runs/${demoId}/#chart-${spec.split('/').at(-1)!.replace('.vl.json', '')}`);
    expect(await page.$eval('#explore-spec', (a) => [a.getAttribute('href'), (a as HTMLAnchorElement).hidden])).toEqual([`${BASE}${spec}`, false]);
    // the mouse wheel over the plot zooms: the axes' labels change
    const labels = () => page.$$eval('#explore-chart svg .role-axis-label text', (texts) => texts.map((t) => t.textContent).sort().join('|'));
    const before = await labels();
    const plot = (await page.$eval('#explore-chart svg', (svg) => {
      const r = svg.getBoundingClientRect();
      return [r.x + r.width / 2, r.y + r.height / 2];
    })) as [number, number];
    await page.mouse.move(...plot);
    await page.mouse.wheel({ deltaY: -400 });
    await page.waitForFunction((old) => [...document.querySelectorAll('#explore-chart svg .role-axis-label text')].map((t) => t.textContent).sort().join('|') !== old, { timeout: 5_000 }, before);
    expect(await labels()).not.toBe(before);
    expect(consoleErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(failed).toEqual([]);
    expect(offOrigin).toEqual([]);
    await page.close();
  });

  it('shows a tooltip with the values of a mark on the explore page', async () => {
    const link = (await exploreLinks(demoId)).find((l) => l.includes('ttft-timeline'))!;
    const { page, cspViolations } = await visit(link.slice(BASE.length), { enforceCsp: true });
    await page.setViewport({ width: 1280, height: 2000 }); // the whole chart on screen: the mouse only reaches the viewport
    await page.waitForFunction(() => /Drag to pan/.test(document.getElementById('explore-status')?.textContent ?? ''), { timeout: 20_000 });
    const points = await page.$$eval('#explore-chart svg .mark-symbol path', (marks) =>
      marks
        .map((m) => m.getBoundingClientRect())
        .filter((b) => b.width > 1 && b.height > 1)
        .map((b) => [b.x + b.width / 2, b.y + b.height / 2] as [number, number]),
    );
    expect(points.length).toBeGreaterThan(3);
    // a point may lie under the median line, which has no tooltip: try a few
    let tooltip = '';
    for (const point of points.slice(0, 20)) {
      await page.mouse.move(...point);
      tooltip = await page.$eval('#vg-tooltip-element.visible', (el) => el.textContent ?? '').catch(() => '');
      if (tooltip !== '') break;
    }
    expect(tooltip).toMatch(/Time to first token.*\d/);
    expect(await page.$eval('#vg-tooltip-element', (el) => getComputedStyle(el).position)).toBe('fixed'); // styled by site.css
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  for (const bad of ['https://evil.example/x.json', '../../etc/passwd', `runs/${'x'}/charts/../../../etc.vl.json`, '']) {
    it(`refuses the explore spec ${JSON.stringify(bad)} with a visible message and fetches nothing`, async () => {
      const { page, consoleErrors, cspViolations, offOrigin, requests } = await visit(`explore/?spec=${encodeURIComponent(bad)}`, { enforceCsp: true });
      await page.waitForFunction(() => (document.getElementById('explore-status')?.textContent ?? '') !== '', { timeout: 10_000 });
      expect(await statusText(page)).toMatch(/^Refused: this link does not name a chart of this site/);
      expect(await page.$eval('#explore-status', (el) => el.getBoundingClientRect().height)).toBeGreaterThan(10);
      expect(await page.$$('#explore-chart svg, #explore-chart canvas')).toHaveLength(0);
      // the page, its stylesheets (screen and print), its script (not Vega: it is imported only for an accepted spec) and the icon
      const fetched = requests.map((url) => url.slice(`${server.origin}${BASE}`.length));
      expect(fetched.filter((path) => !/^(explore\/\?spec=|_astro\/(Base\.[\w-]+\.css|print\.[\w-]+\.css|explore\.[\w.-]+\.js)$|favicon\.svg$)/.test(path))).toEqual([]);
      expect(offOrigin).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      await page.close();
    });
  }

  it('explains the explore page when no chart is named, and links back to the runs', async () => {
    const { page } = await visit('explore/', { enforceCsp: true });
    await page.waitForFunction(() => (document.getElementById('explore-status')?.textContent ?? '') !== '', { timeout: 10_000 });
    expect(await statusText(page)).toMatch(/^No chart named/);
    expect(await page.$eval('#explore-report', (a) => a.getAttribute('href'))).toBe(BASE);
    await page.close();
  });

  it('shows the explore page with a chart and no serious axe violation', async () => {
    const link = (await exploreLinks(demoId))[0]!;
    const { page } = await visit(link.slice(BASE.length));
    await page.waitForFunction(() => /Drag to pan/.test(document.getElementById('explore-status')?.textContent ?? ''), { timeout: 20_000 });
    expect(await page.content()).toContain('may come from a simulated engine');
    // the demo run measured the simulator: the banner is up, as on its report
    expect(await page.$eval('#explore-simulated', (e) => (e as HTMLElement).hidden || getComputedStyle(e).display === 'none')).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('resolves every internal link and asset in the whole site under the base path', async () => {
    const broken: string[] = [];
    for (const file of await htmlFiles(out)) {
      const html = await readFile(file, 'utf8');
      for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const url = match[1]!.replace(/&amp;/g, '&');
        if (/^(https?:|mailto:|data:|#)/.test(url)) {
          if (url.startsWith('http')) broken.push(`${file}: off-site link ${url}`);
          continue;
        }
        if (!url.startsWith(BASE)) {
          broken.push(`${file}: ${url} does not honour the base ${BASE}`);
          continue;
        }
        let target = join(out, decodeURIComponent(url.slice(BASE.length).split('#')[0]!.split('?')[0]!));
        if (url.split('#')[0]!.endsWith('/')) target = join(target, 'index.html');
        const exists = await stat(target).then(
          () => true,
          () => false,
        );
        if (!exists) broken.push(`${file}: ${url}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
