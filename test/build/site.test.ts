// The report site, built once from fixture runs by `servebench site build` (a real process),
// checked on its HTML: numbers, charts, SIMULATED marks, escaping, CSP, base paths, downloads;
// then a build under a PR-preview base that skips a corrupt run, a build that stops on it, and
// the preview server.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import { CONVERSATIONS } from '../../collector/workloads/conversations.ts';
import { captureIO } from '../support/capture-io.ts';
import {
  CORRUPT_NAME,
  DEMO_ID,
  GOLDEN_DIR,
  GOLDEN_ID,
  IMG,
  PARTIAL_ID,
  QUOTE,
  REAL_ONLY_ID,
  SCRIPT,
  V1_ID,
  XSS_ID,
  writeCorruptRun,
  writeFixtureRuns,
  type FixtureRuns,
} from './fixtures.ts';
import { filesUnder, siteBuild, type Built } from './site-build.ts';

const CSP_META = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';`;
const BASE = '/servebench/pr-1/';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every attribute name of every tag (values skipped whole, so escaped text inside them is not mistaken for markup). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][\w:-]*((?:\s+[^\s=>"'/]+(?:=(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g)) {
    for (const attribute of tag[1]!.matchAll(/\s+([^\s=>"'/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g)) names.push(attribute[1]!.toLowerCase());
  }
  return names;
}

/** Every href and src attribute value, as written (entities left as they are). */
function urlsIn(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
}

const page = (dist: string, path: string): Promise<string> => readFile(join(dist, path, path.endsWith('.html') ? '' : 'index.html'), 'utf8');

describe('servebench site build', () => {
  let tmp: string;
  let fixtures: FixtureRuns;
  let dist: string;
  let built: Built;
  let htmlFiles: string[];
  const html = new Map<string, string>();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-site-'));
    fixtures = await writeFixtureRuns(tmp);
    dist = join(tmp, 'dist');
    built = await siteBuild(['--runs', fixtures.runsDir, '--out', dist], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${built.stdout}\n${built.stderr}`);
    htmlFiles = (await filesUnder(dist)).filter((f) => f.endsWith('.html'));
    for (const file of htmlFiles) html.set(relative(dist, file), await readFile(file, 'utf8'));
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('builds every page of every run and says where the site is', () => {
    expect(built.stdout).toContain('site built in');
    expect(built.stdout).toContain('10 runs');
    expect(built.stdout).toContain(dist);
    const pages = [...html.keys()];
    for (const id of [GOLDEN_ID, DEMO_ID, XSS_ID, REAL_ONLY_ID, PARTIAL_ID, V1_ID, ...Object.values(fixtures.ids)]) {
      expect(pages).toContain(join('runs', id, 'index.html'));
      expect(pages).toContain(join('runs', id, 'responses', 'index.html'));
      expect(pages).toContain(join('runs', id, 'executive', 'index.html'));
    }
    for (const p of ['index.html', '404.html', 'trends/index.html']) expect(pages).toContain(p);
    for (const kind of ['vllm', 'tgi', 'ollama', 'llamacpp', 'openai']) expect(pages).toContain(join('engines', kind, 'index.html'));
  });

  it('lists every run newest first on the index', async () => {
    const index = html.get('index.html')!;
    const order = [...new Set([...index.matchAll(/href="\/runs\/([a-z0-9-]+)\/"/g)].map((m) => m[1]!))];
    const started = new Map<string, number>();
    for (const id of order) started.set(id, Date.parse((JSON.parse(await readFile(join(fixtures.runsDir, id, 'run.json'), 'utf8')) as { startedAt: string }).startedAt));
    expect(order).toHaveLength(10);
    expect([...order].sort((a, b) => started.get(b)! - started.get(a)! || (a < b ? 1 : -1))).toEqual(order);
    // the headline of the golden run: p50 TTFT, p95 E2E, output tokens/s of its last phase
    expect(index).toContain('<td class="num">43.5</td><td class="num">135.4</td><td class="num">116.9</td>');
  });

  it("puts the run's numbers in its summary tables", () => {
    const golden = html.get(join('runs', GOLDEN_ID, 'index.html'))!;
    // TTFT p50, p90, p95, p99 of vllm-a
    // each percentile with its 95 % interval; two samples bound none of them
    const tooFew = '<span class="ci">too few samples</span>';
    expect(golden).toContain(`<th scope="row">TTFT</th><td class="num">43.5${tooFew}</td><td class="num">44.8${tooFew}</td><td class="num">44.9${tooFew}</td><td class="num">45.1${tooFew}</td>`);
    expect(golden).toContain('2 ok / 3');
    expect(golden).toContain('66.7%');
    expect(golden).toContain('<code>http_429</code> 1');
    expect(golden).toContain('vllm 0.6.3.post1');
    expect(golden).toContain('AMD EPYC 7763 64-Core Processor');
    expect(golden).toContain('Hyndman-Fan type 7');
    const demo = html.get(join('runs', DEMO_ID, 'index.html'))!;
    for (const phase of ['c1', 'c4', 'c12']) expect(demo).toContain(`Phase ${phase}`);
    expect(demo).toContain('Phase c12 <span class="muted">· 12 concurrent users</span>');
  });

  it('reads a run in the older v1 format through the collector’s upgrade, and says what the upgrade estimated', () => {
    const v1 = html.get(join('runs', V1_ID, 'index.html'))!;
    // the golden run's numbers, from the file the first run store wrote
    expect(v1).toContain('<th scope="row">TTFT</th><td class="num">43.5</td><td class="num">44.8</td><td class="num">44.9</td><td class="num">45.1</td>');
    expect(v1.match(/<svg[^>]* role="img"/g)?.length).toBeGreaterThanOrEqual(5);
    expect(v1).toContain('Upgraded from run format v1, which did not record the clock origin');
    expect(html.get('index.html')).toContain(`href="/runs/${V1_ID}/"`);
  });

  it('draws each chart as an inline SVG with a title, a caption, a data table and its spec', async () => {
    for (const id of [DEMO_ID, fixtures.ids.everyKind, GOLDEN_ID, V1_ID, REAL_ONLY_ID]) {
      const report = html.get(join('runs', id, 'index.html'))!;
      const figures = [...report.matchAll(/<figure class="chart".*?<\/figure>/gs)].map((m) => m[0]);
      expect(figures.length, id).toBeGreaterThan(0);
      expect(report.match(/<svg/g)?.length).toBe(figures.length);
      for (const figure of figures) {
        expect(figure).toMatch(/<svg[^>]*>\s*<title[^>]*>[^<]+<\/title>/);
        expect(figure).toContain('<figcaption');
        expect(figure).toMatch(/<details class="chart-data"><summary>Data table/);
        const spec = /href="\/(runs\/[^"]+\.vl\.json)"/.exec(figure)?.[1];
        expect(spec).toBeDefined();
        // a Vega-Lite spec with its data inline: it renders on its own, offline
        const json = JSON.parse(await readFile(join(dist, spec!), 'utf8')) as Record<string, unknown>;
        // the spec says whether its run measured the simulator, as the report's banner does
        expect(json['usermeta'], spec).toEqual({ servebench: { simulated: report.includes('class="simulated-banner"') } });
        expect(Object.keys(json).some((k) => ['mark', 'layer', 'vconcat', 'hconcat', 'concat', 'facet', 'repeat'].includes(k)), spec).toBe(true);
        expect(JSON.stringify(json)).not.toMatch(/"url"\s*:/);
      }
    }
  });

  it('marks simulated runs, and shows no SIMULATED mark on a run of real engines only', () => {
    const banner = "<strong>SIMULATED:</strong> these numbers describe servebench's simulator, not a real engine.";
    for (const path of ['index.html', join('runs', DEMO_ID, 'index.html'), join('runs', DEMO_ID, 'executive', 'index.html')]) {
      expect(html.get(path), path).toContain(banner);
    }
    // a run of a real engine beside a simulated one names the simulated one, once, on each of its pages
    const mixed = "<strong>SIMULATED:</strong> ollama-b is servebench&#39;s simulator, not a real engine: its numbers describe the simulator. The other engines are real.";
    for (const page of ['', 'responses', 'executive']) {
      const body = html.get(join('runs', GOLDEN_ID, page, 'index.html'))!;
      expect(body.replace(/'/g, '&#39;'), page).toContain(mixed);
      expect(body.match(/class="simulated-banner"/g), page).toHaveLength(1);
      expect(body, page).not.toContain('badge-simulated');
    }
    expect(html.get('index.html')).toContain('badge-simulated');
    for (const path of [join('runs', REAL_ONLY_ID, 'index.html'), join('runs', REAL_ONLY_ID, 'responses', 'index.html'), '404.html']) {
      expect(html.get(path), path).not.toContain('SIMULATED');
    }
  });

  it('shows failed, aborted and partial runs for what they are', () => {
    expect(html.get(join('runs', fixtures.ids.failed, 'index.html'))).toContain('status-failed');
    expect(html.get(join('runs', fixtures.ids.failed, 'index.html'))).toContain('<code>http_error</code> 3');
    expect(html.get(join('runs', fixtures.ids.aborted, 'index.html'))).toContain('status-aborted');
    const partial = html.get(join('runs', PARTIAL_ID, 'index.html'))!;
    expect(partial).toContain('status-partial');
    expect(partial).toContain('This run has no summaries');
    expect(html.get(join('runs', PARTIAL_ID, 'responses', 'index.html'))).toContain('The capital of France is Paris.');
  });

  it('shows what each engine answered, and conversations turn by turn', () => {
    const golden = html.get(join('runs', GOLDEN_ID, 'responses', 'index.html'))!;
    expect(golden).toContain('The capital of France is Paris. It');
    expect(golden).toContain('TTFT 45.1 ms');
    const everyKind = html.get(join('runs', fixtures.ids.everyKind, 'responses', 'index.html'))!;
    for (const label of ['vllm-sim', 'tgi-sim', 'ollama-sim', 'llamacpp-sim', 'openai-compatible']) expect(everyKind).toContain(label);
    expect((everyKind.match(/<section class="prompt"/g) ?? []).length).toBeLessThanOrEqual(20);
    const conversations = html.get(join('runs', fixtures.ids.conversations, 'responses', 'index.html'))!;
    for (const turn of [1, 2, 3, 4]) expect(conversations).toContain(`Turn ${turn}`);
    expect(conversations).toContain('memory climbs steadily from about 300 MB to 2 GB');
    expect(CONVERSATIONS[0]!.turns[0]).toContain('memory climbs steadily from about 300 MB to 2 GB');
  });

  it('escapes every name and answer: no tag from a run reaches a page', () => {
    const escapedScript = '&lt;script&gt;alert(1)&lt;/script&gt;';
    const escapedImg = '&lt;img src=x onerror=alert(1)&gt;';
    expect(html.get('index.html')).toContain(escapedScript);
    expect(html.get(join('runs', XSS_ID, 'index.html'))).toContain(escapedScript);
    expect(html.get(join('runs', XSS_ID, 'index.html'))).toContain(escapedImg);
    const responses = html.get(join('runs', XSS_ID, 'responses', 'index.html'))!;
    expect(responses).toContain(`The capital of France is Paris. It ${escapedScript} ${escapedImg}`);
    // what the engine said about itself, and a payload that would close an attribute, are text
    const report = html.get(join('runs', XSS_ID, 'index.html'))!;
    const escapedQuote = /(?:&quot;|&#34;)onload=(?:&quot;|&#34;)alert\(1\)/;
    expect(report).toContain(`served ${escapedScript}`);
    expect(report).toContain(`problem ${escapedImg}`);
    expect(report).toMatch(escapedQuote);
    expect(responses).toMatch(escapedQuote);
    // the attribute parser sees attributes, and would see an event handler
    expect(attributeNames(html.get('index.html')!)).toContain('href');
    expect(attributeNames('<p title="a &lt;b onclick=x&gt;">x</p><svg><g onload="x"></g></svg>')).toEqual(['title', 'onload']);
    for (const [path, text] of html) {
      // The explore page's one script is its own bundled module (test/build/explore.test.ts); nothing else.
      const own = path === join('explore', 'index.html') ? text.replace(/<script type="module" src="\/_astro\/[\w.-]+\.js"><\/script>/, '') : text;
      expect(own, path).not.toMatch(/<script/i);
      expect(text, path).not.toMatch(/<img/i);
      expect(attributeNames(text).filter((name) => name.startsWith('on')), path).toEqual([]);
      expect(text, path).not.toContain(SCRIPT);
      expect(text, path).not.toContain(IMG);
      // in a tag, the quote payload would be an attribute (caught above); in text it is harmless
      for (const tag of text.match(/<[a-zA-Z][^>]*>/g) ?? []) expect(tag, path).not.toContain(QUOTE);
    }
  });

  it('has no script anywhere but in the raw data downloads of the run that carries it', async () => {
    const withScript: string[] = [];
    for (const file of await filesUnder(dist)) {
      if (file.endsWith('.gz')) continue;
      if (/<script/i.test(await readFile(file, 'utf8'))) withScript.push(relative(dist, file));
    }
    // run.json, the CSVs and the chart specs are data (served as JSON and CSV), and hold the run's own text
    // and the explore page loads its own module (test/build/explore.test.ts)
    for (const file of withScript) expect(file).toMatch(new RegExp(`^(explore/index\\.html|runs/${XSS_ID}/(run\\.json|summary\\.csv|requests\\.csv|charts/[a-z0-9-]+\\.vl\\.json))$`));
    expect(withScript).toContain(`runs/${XSS_ID}/run.json`);
  });

  it('carries the CSP on every page, links one stylesheet (and one for print) and nothing from another origin', async () => {
    expect(htmlFiles.length).toBeGreaterThan(20);
    for (const [path, text] of html) {
      expect(text, path).toContain(CSP_META);
      // no inline style: the CSP allows none
      expect(text, path).not.toMatch(/<style|\sstyle="/);
      for (const url of urlsIn(text)) expect(url, `${path}: ${url}`).toMatch(/^(\/(?!\/)|#)/);
    }
    // one stylesheet for the screen, and the print one (PDFs), which screens never download
    for (const [path, text] of html) {
      const links = [...text.matchAll(/<link rel="stylesheet"[^>]*>/g)].map((m) => m[0]);
      expect(links.filter((l) => !l.includes('media="print"')), path).toHaveLength(1);
      expect(links.filter((l) => l.includes('media="print"')).length, path).toBeLessThanOrEqual(1);
    }
    const css = (await filesUnder(join(dist, '_astro'))).filter((f) => f.endsWith('.css'));
    expect(css.length).toBeLessThanOrEqual(2);
    for (const file of css) expect(await readFile(file, 'utf8')).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
  });

  it('offers the run as recorded and as CSV', async () => {
    const runDir = join(dist, 'runs', GOLDEN_ID);
    expect(await readFile(join(runDir, 'run.json'))).toEqual(await readFile(join(GOLDEN_DIR, 'run.json')));
    expect(await readFile(join(runDir, 'requests.ndjson.gz'))).toEqual(await readFile(join(GOLDEN_DIR, 'requests.ndjson.gz')));
    const requests = (await readFile(join(runDir, 'requests.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(requests[0]).toBe('phase,engine,seq,sentMs,ttftMs,e2eMs,outputTokens,status,errorKind,warmup,promptId');
    expect(requests).toHaveLength(7);
    expect(requests).toContain('main,vllm-a,0,0.4,45.1,135.5,8,ok,,false,capital-france');
    expect(requests).toContain('main,vllm-a,1,0.6,,3.4,,error,http_429,false,haiku-autumn');
    const summary = (await readFile(join(runDir, 'summary.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(summary).toHaveLength(3);
    expect(summary[1]).toContain(`${GOLDEN_ID},vllm-a,vllm,0.6.3.post1`);
    expect(summary[1]).toContain(',43.45,');
    const report = html.get(join('runs', GOLDEN_ID, 'index.html'))!;
    for (const file of ['run.json', 'requests.ndjson.gz', 'summary.csv', 'requests.csv']) expect(report).toContain(`href="/runs/${GOLDEN_ID}/${file}"`);
    // a run still being written (plain requests.ndjson) would be gzipped; every run here is finalized
    expect(await exists(join(dist, 'runs', PARTIAL_ID, 'requests.ndjson.gz'))).toBe(true);
  });

  it('filters by engine, model and scenario with static pages', () => {
    const openai = html.get(join('engines', 'openai', 'index.html'))!;
    expect(openai).toContain(`/runs/${fixtures.ids.everyKind}/`);
    expect(openai).not.toContain(`/runs/${GOLDEN_ID}/`);
    const index = html.get('index.html')!;
    expect(index).toContain('href="/models/llama3-1-8b/"');
    expect(index).toContain('href="/scenarios/golden-chat-smoke-5a22bf929335/"');
  });

  it('groups comparable runs into trends', () => {
    const trends = html.get(join('trends', 'index.html'))!;
    const vllm = /<section class="series".*?<\/section>/gs;
    const series = [...trends.matchAll(vllm)].map((m) => m[0]).find((s) => s.includes('vllm 0.6.3.post1'))!;
    expect(series).toBeDefined();
    expect(series).toContain(`/runs/${GOLDEN_ID}/`);
    expect(series).toContain(`/runs/${REAL_ONLY_ID}/`);
    expect(series).toContain(`/runs/${V1_ID}/`);
    expect(series).toContain('5 runs');
  });

  it('writes a sitemap and a 404 page', async () => {
    const sitemap = await readFile(join(dist, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>/runs/' + GOLDEN_ID + '/</loc>');
    expect(sitemap).toContain('<loc>/trends/</loc>');
    expect(html.get('404.html')).toContain('Page not found');
  });

  describe('under a PR-preview base, skipping a corrupt run', () => {
    let baseDist: string;
    let baseBuild: Built;
    let runsDir: string;
    beforeAll(async () => {
      runsDir = join(tmp, 'base-runs');
      await writeCorruptRun(runsDir);
      await cp(join(fixtures.runsDir, GOLDEN_ID), join(runsDir, GOLDEN_ID), { recursive: true });
      await cp(join(fixtures.runsDir, DEMO_ID), join(runsDir, DEMO_ID), { recursive: true });
      baseDist = join(tmp, 'dist-base');
      // A rebuild over an earlier site that a user published to GitHub Pages: its custom domain,
      // its no-Jekyll switch and the pages branch checkout are theirs; a page of a run since removed is not.
      await cp(dist, baseDist, { recursive: true });
      await writeFile(join(baseDist, 'CNAME'), 'bench.example.org\n');
      await writeFile(join(baseDist, '.nojekyll'), '');
      await mkdir(join(baseDist, '.git'));
      await writeFile(join(baseDist, '.git', 'HEAD'), 'ref: refs/heads/gh-pages\n');
      baseBuild = await siteBuild(['--runs', runsDir, '--out', baseDist, '--base', BASE, '--site', 'https://example.github.io', '--skip-invalid'], join(tmp, 'cache-base'));
      if (baseBuild.code !== 0) throw new Error(`site build exited ${baseBuild.code}:\n${baseBuild.stdout}\n${baseBuild.stderr}`);
    }, 120_000);

    it('starts every link, asset and data URL with the base', async () => {
      const files = (await filesUnder(baseDist)).filter((f) => f.endsWith('.html'));
      expect(files.length).toBeGreaterThan(8);
      let checked = 0;
      for (const file of files) {
        for (const url of urlsIn(await readFile(file, 'utf8'))) {
          checked++;
          expect(url, `${relative(baseDist, file)}: ${url}`).toMatch(new RegExp(`^(${BASE.replace(/\//g, '\\/')}|#)`));
        }
      }
      expect(checked).toBeGreaterThan(100);
      const report = await page(baseDist, join('runs', DEMO_ID));
      expect(report).toContain(`href="${BASE}runs/${DEMO_ID}/requests.ndjson.gz"`);
      expect(report).toMatch(new RegExp(`href="${BASE}runs/${DEMO_ID}/charts/[a-z0-9-]+\\.vl\\.json"`));
      expect(report).toMatch(new RegExp(`<link rel="stylesheet" href="${BASE}_astro/[^"]+\\.css"`));
      const sitemap = await readFile(join(baseDist, 'sitemap.xml'), 'utf8');
      expect(sitemap).toContain(`<loc>https://example.github.io${BASE}runs/${GOLDEN_ID}/</loc>`);
    });

    it('rebuilds over an earlier site, keeping CNAME, .nojekyll and .git, and nothing else it did not write', async () => {
      expect(await readFile(join(baseDist, 'CNAME'), 'utf8')).toBe('bench.example.org\n');
      expect(await readFile(join(baseDist, '.nojekyll'), 'utf8')).toBe('');
      expect(await readFile(join(baseDist, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/gh-pages\n');
      // the earlier build's pages of runs not in this one are gone
      expect(await exists(join(baseDist, 'runs', XSS_ID))).toBe(false);
      expect(await exists(join(baseDist, 'engines', 'openai'))).toBe(false);
      expect(await exists(join(baseDist, 'runs', GOLDEN_ID, 'index.html'))).toBe(true);
    });

    it('builds the valid runs and lists the invalid one, naming its file and field', async () => {
      expect(baseBuild.stdout).toContain('2 runs');
      expect(baseBuild.stdout).toContain('1 invalid run skipped');
      expect(baseBuild.stderr).toContain(join(runsDir, CORRUPT_NAME, 'run.json'));
      expect(baseBuild.stderr).toContain('engines[0].label: expected string, got number 7');
      const index = await page(baseDist, '');
      expect(index).toContain('1 invalid run left out of this site');
      expect(index).toContain(CORRUPT_NAME);
      expect(await exists(join(baseDist, 'runs', CORRUPT_NAME))).toBe(false);
    });

    it('stops on the corrupt run without --skip-invalid: exit 4, naming the file and the field', async () => {
      // A directory that holds only the files a build keeps is as good as an empty one.
      const out = join(tmp, 'dist-corrupt');
      await mkdir(out);
      await writeFile(join(out, 'CNAME'), 'bench.example.org\n');
      await writeFile(join(out, '.nojekyll'), '');
      const stopped = await siteBuild(['--runs', runsDir, '--out', out], join(tmp, 'cache-corrupt'));
      expect(stopped.code).toBe(4);
      expect(await readdir(out)).toEqual(expect.arrayContaining(['CNAME', '.nojekyll']));
      expect(stopped.stderr).toContain(join(runsDir, CORRUPT_NAME, 'run.json'));
      expect(stopped.stderr).toContain('engines[0].label: expected string, got number 7');
      expect(stopped.stderr).toContain('--skip-invalid');
      expect(await exists(join(out, 'index.html'))).toBe(false);
    }, 60_000);

    it('previews the site under its base on 127.0.0.1', async () => {
      const io = captureIO(tmp);
      let ended = false;
      const running = main(['site', 'preview', '--out', baseDist, '--port', '0'], io).finally(() => (ended = true));
      // Waits for the line that says it is listening (or for the command to end), however long it takes.
      let url = '';
      while (url === '' && !ended) {
        url = /at (http:\/\/127\.0\.0\.1:\d+\S*) /.exec(io.out())?.[1] ?? '';
        if (url === '') await new Promise((r) => setTimeout(r, 20));
      }
      try {
        expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${BASE}$`));
        const origin = new URL(url).origin;
        const root = await fetch(`${origin}/`, { redirect: 'manual' });
        expect(root.status).toBe(302);
        expect(root.headers.get('location')).toBe(BASE);
        const index = await fetch(url);
        expect(index.status).toBe(200);
        expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await index.text()).toContain(CSP_META);
        const gz = await fetch(`${url}runs/${GOLDEN_ID}/requests.ndjson.gz`);
        expect(gz.headers.get('content-type')).toBe('application/gzip');
        expect(Buffer.from(await gz.arrayBuffer())).toEqual(await readFile(join(GOLDEN_DIR, 'requests.ndjson.gz')));
        expect((await fetch(`${url}runs/${GOLDEN_ID}/summary.csv`)).headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const dir = await fetch(`${url}trends`, { redirect: 'manual' });
        expect(dir.status).toBe(301);
        expect(dir.headers.get('location')).toBe(`${BASE}trends/`);
        const missing = await fetch(`${url}no/such/page/`);
        expect(missing.status).toBe(404);
        expect(await missing.text()).toContain('Page not found');
        expect((await fetch(`${url}%2e%2e/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
      } finally {
        io.abort();
        expect(await running).toBe(0);
      }
    });
  });
});

describe('servebench site build flags', () => {
  it('rejects a base that is not a path, before building anything', async () => {
    const io = captureIO(tmpdir());
    expect(await main(['site', 'build', '--base', 'https://example.com/x', '--out', join(tmpdir(), 'never')], io)).toBe(2);
    expect(io.err()).toContain('--base');
  });

  it('refuses to build over the runs directory, or over a directory that is not a site', async () => {
    const io = captureIO(tmpdir());
    expect(await main(['site', 'build', '--runs', join(tmpdir(), 'r', 'runs'), '--out', join(tmpdir(), 'r')], io)).toBe(2);
    expect(io.err()).toContain('would overwrite');
    const other = await mkdtemp(join(tmpdir(), 'servebench-not-a-site-'));
    try {
      await writeFile(join(other, 'notes.txt'), 'keep me');
      const again = captureIO(tmpdir());
      expect(await main(['site', 'build', '--runs', join(tmpdir(), 'servebench-no-runs-here'), '--out', other], again)).toBe(2);
      expect(again.err()).toContain('holds no servebench site');
      expect(again.err()).toContain('it keeps CNAME, .nojekyll, .git there');
      expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
      // a file is no directory to build into
      const file = captureIO(tmpdir());
      expect(await main(['site', 'build', '--runs', join(tmpdir(), 'servebench-no-runs-here'), '--out', join(other, 'notes.txt')], file)).toBe(2);
      expect(file.err()).toContain('cannot be used as the site directory: ENOTDIR');
      expect(file.err()).toContain('(BAD_ENVIRONMENT, exit 2)');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
