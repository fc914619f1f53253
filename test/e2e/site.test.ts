// The published site in a real browser, served under a non-root base path as on GitHub Pages or a
// PR preview: no console error, no failed or off-origin request, charts visible, every internal
// link resolves, and axe-core finds no serious or critical accessibility violation.
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { captureIO } from '../support/capture-io.ts';
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
    await cp(join(REPO, 'test/fixtures/runs/v1-golden'), join(runs, 'v1-golden'), { recursive: true });
    demoId = (await readdir(join(REPO, 'runs')))[0]!;
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

  const visit = async (path: string) => {
    const page = await browser.newPage();
    // axe is injected as an inline script, which the site's own CSP rightly forbids.
    await page.setBypassCSP(true);
    const consoleErrors: string[] = [];
    const failed: string[] = [];
    const offOrigin: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.origin) && !url.startsWith('data:')) offOrigin.push(url);
    });
    const response = await page.goto(`${server.origin}${BASE}${path}`, { waitUntil: 'networkidle0' });
    return { page, response, consoleErrors, failed, offOrigin };
  };

  for (const [name, path] of [
    ['the runs index', ''],
    ['a run report', 'RUN/'],
    ['a responses page', 'RUN/responses/'],
  ] as const) {
    it(`shows ${name} with no console error, no failed or off-origin request, and no serious axe violation`, async () => {
      const { page, response, consoleErrors, failed, offOrigin } = await visit(path.replace('RUN', `runs/${demoId}`));
      expect(response?.status()).toBe(200);
      expect(consoleErrors).toEqual([]);
      expect(failed).toEqual([]);
      expect(offOrigin).toEqual([]);
      expect(await page.content()).toContain('SIMULATED');
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
      });
      expect(violations).toEqual([]);
      await page.close();
    });
  }

  it('draws every chart of a run report visibly', async () => {
    const { page } = await visit(`runs/${demoId}/`);
    const sizes = await page.$$eval('figure svg', (svgs) => svgs.map((svg) => svg.getBoundingClientRect()).map((r) => r.width * r.height));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.every((area) => area > 1000)).toBe(true);
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
