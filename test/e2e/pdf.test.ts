// PDFs of a built site in the system Chromium: `servebench site build --pdf` prints the newest run
// of each series; the PDFs open (pdfinfo), have a sensible number of pages, carry the run's numbers
// as the pages format them and, for a simulated run, the SIMULATED notice on every page; charts
// stay vector (no raster image); nothing is fetched from another origin; an unchanged run comes
// from the cache after a rebuild; a missing browser is a usage error saying how to get one.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { startPreview } from '../../collector/commands/site.ts';
import { launchChromium } from '../../collector/pdf/chromium.ts';
import { PDF_LINKS_MARKER } from '../../collector/pdf/links.ts';
import { openPrinter } from '../../collector/pdf/print.ts';
import { SIMULATED_NOTICE } from '../../collector/pdf/templates.ts';
import { readRun } from '../../collector/store/read-run.ts';
import { ms } from '../../site/lib/format.ts';
import { captureIO } from '../support/capture-io.ts';
import { CHROMIUM } from './browser.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = join(REPO, 'test/fixtures/runs/golden');
const DEMO_ID = '20261123-203201-demo-2238';
const OLD_ID = '20250601-090000-real-old-0001';
const NEW_ID = '20250602-090000-real-new-0002';
/** Served under a path, as on GitHub Pages: the pages' links and the local server must agree on it. */
const BASE = '/servebench/pr-1/';

/** The text of a PDF (or one page), in the order it was drawn: header and footer lines stay whole. */
async function pdfText(file: string, page?: number): Promise<string> {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return (await run('pdftotext', ['-raw', ...range, file, '-'])).stdout;
}

async function pdfPages(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)![1]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The golden run with its real engine only, under another id and start time: one series, two runs. */
async function writeRealRun(runs: string, id: string, startedAt: string, name: string): Promise<void> {
  const doc = JSON.parse(await readFile(join(GOLDEN, 'run.json'), 'utf8')) as { id: string; startedAt: string; name: string; warnings: string[]; engines: { label: string; simulated: boolean }[] };
  const real = doc.engines.filter((e) => !e.simulated).map((e) => e.label);
  const gone = doc.engines.filter((e) => e.simulated).map((e) => e.label);
  const records = gunzipSync(await readFile(join(GOLDEN, 'requests.ndjson.gz')))
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '' && real.includes((JSON.parse(line) as { engine: string }).engine));
  await mkdir(join(runs, id), { recursive: true });
  await writeFile(join(runs, id, 'run.json'), JSON.stringify({ ...doc, id, startedAt, name, engines: doc.engines.filter((e) => !e.simulated), warnings: doc.warnings.filter((w) => !gone.some((label) => w.includes(label))) }, null, 2));
  await writeFile(join(runs, id, 'requests.ndjson.gz'), gzipSync(`${records.join('\n')}\n`));
}

describe('PDF export', () => {
  let tmp: string;
  let runs: string;
  let out: string;
  let env: NodeJS.ProcessEnv;
  const savedCacheDir = process.env['SERVEBENCH_CACHE_DIR'];
  const dir = (id: string) => join(out, 'runs', id);

  const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const io = captureIO(REPO, { ...env, ...extraEnv });
    const code = await main(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const build = async (extra: string[] = []) => {
    const built = await cli(['site', 'build', '--runs', runs, '--out', out, '--base', BASE, ...extra]);
    if (built.code !== 0) throw new Error(`site build failed (${built.code}):\n${built.err}`);
    return built;
  };

  beforeAll(async () => {
    if (!(await exists(CHROMIUM))) throw new Error(`no Chromium at ${CHROMIUM}: npm run setup:browser installs it`);
    tmp = await mkdtemp(join(tmpdir(), 'servebench-pdf-'));
    runs = join(tmp, 'runs');
    out = join(tmp, 'dist');
    await cp(join(REPO, 'runs', DEMO_ID), join(runs, DEMO_ID), { recursive: true });
    await writeRealRun(runs, OLD_ID, '2025-06-01T09:00:00.000Z', 'real engine, earlier');
    await writeRealRun(runs, NEW_ID, '2025-06-02T09:00:00.000Z', 'real engine, later');
    // Astro's cache (read by astro.config.mjs from the process) and the PDF cache, both this test's own.
    process.env['SERVEBENCH_CACHE_DIR'] = join(tmp, 'cache');
    env = { ...process.env, SERVEBENCH_CACHE_DIR: join(tmp, 'cache'), PUPPETEER_EXECUTABLE_PATH: CHROMIUM };
    const built = await build(['--pdf']);
    expect(built.out).toMatch(/4 PDFs for 2 of 3 runs: 4 printed/);
  }, 240_000);

  afterAll(async () => {
    if (savedCacheDir === undefined) delete process.env['SERVEBENCH_CACHE_DIR'];
    else process.env['SERVEBENCH_CACHE_DIR'] = savedCacheDir;
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints the newest run of each series, beside its pages, and not the older run of a series', async () => {
    for (const id of [DEMO_ID, NEW_ID]) {
      expect(await exists(join(dir(id), 'executive.pdf'))).toBe(true);
      expect(await exists(join(dir(id), 'report.pdf'))).toBe(true);
    }
    expect(await exists(join(dir(OLD_ID), 'report.pdf'))).toBe(false);
    expect(await exists(join(dir(OLD_ID), 'executive.pdf'))).toBe(false);
  });

  it("links the PDFs from both of a run's pages, and none from the pages of a run without them", async () => {
    const page = (id: string, sub: string) => readFile(join(dir(id), sub, 'index.html'), 'utf8');
    for (const id of [DEMO_ID, NEW_ID]) {
      for (const sub of ['', 'executive']) {
        const html = await page(id, sub);
        expect(html).toContain(`href="${BASE}runs/${id}/executive.pdf"`);
        expect(html).toContain(`href="${BASE}runs/${id}/report.pdf"`);
        expect(html).not.toContain(PDF_LINKS_MARKER);
      }
    }
    for (const sub of ['', 'executive']) {
      const html = await page(OLD_ID, sub);
      expect(html).not.toContain('.pdf"');
      expect(html).toContain(PDF_LINKS_MARKER);
    }
  });

  it('writes PDFs that open, with a page count in the expected range', async () => {
    for (const id of [DEMO_ID, NEW_ID]) {
      const executive = await pdfPages(join(dir(id), 'executive.pdf'));
      const report = await pdfPages(join(dir(id), 'report.pdf'));
      expect(executive).toBeGreaterThanOrEqual(1);
      expect(executive).toBeLessThanOrEqual(6);
      expect(report).toBeGreaterThanOrEqual(2);
      expect(report).toBeLessThanOrEqual(40);
    }
  });

  it("carries the run's numbers as the pages format them, and its name and date in every page's header", async () => {
    const golden = await readRun(dir(NEW_ID));
    const report = await pdfText(join(dir(NEW_ID), 'report.pdf'));
    const executive = await pdfText(join(dir(NEW_ID), 'executive.pdf'));
    for (const engine of golden.engines) {
      for (const phase of engine.phases) {
        expect(report).toContain(ms(phase.ttftMs.p50));
        expect(report).toContain(ms(phase.e2eMs.p95));
        expect(executive).toContain(ms(phase.ttftMs.p50));
      }
    }
    const pages = await pdfPages(join(dir(NEW_ID), 'report.pdf'));
    for (let page = 1; page <= pages; page++) {
      const text = await pdfText(join(dir(NEW_ID), 'report.pdf'), page);
      expect(text).toContain('Run report: real engine, later');
      expect(text).toContain('2025-06-02 09:00 UTC');
      expect(text).toMatch(new RegExp(`Page ${page} of ${pages}`));
    }
  });

  it('puts the SIMULATED notice on every page of a simulated run, and on no page of a real one', async () => {
    for (const file of ['executive.pdf', 'report.pdf']) {
      const pages = await pdfPages(join(dir(DEMO_ID), file));
      for (let page = 1; page <= pages; page++) expect(await pdfText(join(dir(DEMO_ID), file), page)).toContain(SIMULATED_NOTICE);
      expect(await pdfText(join(dir(NEW_ID), file))).not.toContain('SIMULATED');
    }
  });

  it('keeps charts vector: the report holds no raster image', async () => {
    const { stdout } = await run('pdfimages', ['-list', join(dir(DEMO_ID), 'report.pdf')]);
    // A header line and a rule, then one line per image.
    expect(stdout.trim().split('\n').slice(2)).toEqual([]);
    // The charts are there, as text and paths: an axis title of the TTFT distribution chart.
    expect(await pdfText(join(dir(DEMO_ID), 'report.pdf'))).toMatch(/TTFT/);
  });

  it('refuses every request to another origin while printing', async () => {
    await mkdir(join(out, 'remote-probe'), { recursive: true });
    await writeFile(
      join(out, 'remote-probe', 'index.html'),
      '<!doctype html><title>probe</title><link rel="stylesheet" href="https://fonts.example.com/x.css"><img src="http://203.0.113.9/pixel.png" alt=""><p>probe</p>',
    );
    const server = await startPreview(out, BASE, 0);
    const browser = await launchChromium(CHROMIUM);
    try {
      const printer = await openPrinter(browser, new URL(server.url).origin);
      const probe = await printer.print({ url: `${server.url}remote-probe/`, templates: { headerTemplate: '<span></span>', footerTemplate: '<span></span>', marginTop: '10mm' }, format: 'A4', openDetails: true });
      expect(probe.refused.sort()).toEqual(['http://203.0.113.9/pixel.png', 'https://fonts.example.com/x.css']);
      expect(probe.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The site's own pages ask for nothing off the server.
      for (const page of [`runs/${DEMO_ID}/`, `runs/${DEMO_ID}/executive/`]) {
        const printed = await printer.print({ url: `${server.url}${page}`, templates: { headerTemplate: '<span></span>', footerTemplate: '<span></span>', marginTop: '10mm' }, format: 'A4', openDetails: false });
        expect(printed.refused).toEqual([]);
        expect(printed.loaded.every((url) => url.startsWith(new URL(server.url).origin))).toBe(true);
      }
      await printer.close();
    } finally {
      await browser.close();
      await server.close();
      await rm(join(out, 'remote-probe'), { recursive: true, force: true });
    }
  });

  it('prints nothing again for unchanged runs, after a rebuild too, and only the run that changed', async () => {
    const before = await readFile(join(dir(DEMO_ID), 'report.pdf'));
    const again = await cli(['pdf', '--out', out]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/4 PDFs for 2 of 3 runs: 0 printed, 4 from the cache/);

    // A rebuild writes every page again, byte for byte the same: the PDFs come from the cache.
    await build();
    expect(await exists(join(dir(DEMO_ID), 'report.pdf'))).toBe(false);
    const rebuilt = await cli(['pdf', '--out', out]);
    expect(rebuilt.out).toMatch(/0 printed, 4 from the cache/);
    expect(await readFile(join(dir(DEMO_ID), 'report.pdf'))).toEqual(before);

    // One run renamed: its two pages change, the other run's do not.
    const file = join(runs, NEW_ID, 'run.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"real engine, later"', '"real engine, renamed"'));
    await build();
    const changed = await cli(['pdf', '--out', out]);
    expect(changed.out).toMatch(/2 printed in [\d.]+ s, 2 from the cache/);
    expect(changed.err).toContain(`printed runs/${NEW_ID}/report.pdf`);
    expect(changed.err).toContain(`cached  runs/${DEMO_ID}/report.pdf`);
    expect(await pdfText(join(dir(NEW_ID), 'report.pdf'), 1)).toContain('Run report: real engine, renamed');
  });

  it('prints a run named on the command line as well, on Letter paper when asked', async () => {
    const named = await cli(['pdf', '--out', out, '--paper', 'letter', OLD_ID]);
    expect(named.code).toBe(0);
    expect(named.out).toMatch(/6 PDFs for 3 of 3 runs/);
    const { stdout } = await run('pdfinfo', [join(dir(OLD_ID), 'report.pdf')]);
    expect(stdout).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    expect(await readFile(join(dir(OLD_ID), 'index.html'), 'utf8')).toContain(`href="${BASE}runs/${OLD_ID}/report.pdf"`);
  });

  it('fails with exit 4 for a run the site does not have', async () => {
    const unknown = await cli(['pdf', '--out', out, '20990101-000000-nope-0000']);
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain('has no run 20990101-000000-nope-0000');
  });

  it('fails with exit 2, saying how to get a browser, when none can be found', async () => {
    // A cold cache, so that a page must be printed.
    const missing = await cli(['pdf', '--out', out], { SERVEBENCH_CACHE_DIR: join(tmp, 'cold-cache'), PUPPETEER_EXECUTABLE_PATH: join(tmp, 'no-such-chrome') });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`PUPPETEER_EXECUTABLE_PATH names ${join(tmp, 'no-such-chrome')}, which is not an executable file`);
    expect(missing.err).toContain('npm run setup:browser');
    expect(missing.err).toContain('BAD_ENVIRONMENT, exit 2');
  });

  it('stops at Ctrl-C before the next page, exit 130', async () => {
    const io = captureIO(REPO, { ...env, SERVEBENCH_CACHE_DIR: join(tmp, 'interrupted-cache') });
    io.abort();
    expect(await main(['pdf', '--out', out, '--all'], io)).toBe(130);
    expect(io.err()).toContain('interrupted after 0 PDFs');
  });

  it('links no PDF that was not written', async () => {
    const pages = (await readdir(out, { recursive: true })).filter((name) => name.endsWith('.html'));
    for (const page of pages) {
      const links = [...(await readFile(join(out, page), 'utf8')).matchAll(/href="([^"]+\.pdf)"/g)].map((m) => m[1]!);
      for (const href of links) {
        expect(href.startsWith(BASE)).toBe(true);
        expect(await exists(join(out, href.slice(BASE.length)))).toBe(true);
      }
    }
  });
});
