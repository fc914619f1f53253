// The diff pages, built once by `servebench site build` (a real process) over the slo-sweep run,
// a later copy of it whose TGI decodes 15 % slower (and reports another TGI version) and the
// golden run: the copy gets /diff/<sweep>...<copy>/ naming the regression, with the environment
// table, the verdict counts, the interval chart and the delta table, and its report links it;
// the runs with no earlier comparable run get no diff page and no link.
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOWER_ID, SWEEP_ID, writeSweepPair } from '../support/slower-sweep.ts';
import { GOLDEN_DIR, GOLDEN_ID } from './fixtures.ts';
import { siteBuild } from './site-build.ts';

const DIFF = `diff/${SWEEP_ID}...${SLOWER_ID}`;

async function writeRuns(runsDir: string): Promise<void> {
  await writeSweepPair(runsDir);
  await cp(GOLDEN_DIR, join(runsDir, GOLDEN_ID), { recursive: true });
}

describe('the diff pages', () => {
  let tmp: string;
  let dist: string;
  let page: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-diff-pages-'));
    const runsDir = join(tmp, 'runs');
    await writeRuns(runsDir);
    dist = join(tmp, 'dist');
    const built = await siteBuild(['--runs', runsDir, '--out', dist], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${`${built.stdout}${built.stderr}`}`);
    page = await readFile(join(dist, DIFF, 'index.html'), 'utf8');
  }, 240_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('builds one diff page: the slower copy against the run before it, none for a run without an earlier comparable one', async () => {
    expect(await readdir(join(dist, 'diff'))).toEqual([`${SWEEP_ID}...${SLOWER_ID}`]);
  });

  it('lists the diff page in the sitemap', async () => {
    const sitemap = await readFile(join(dist, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`<loc>/${DIFF}/</loc>`);
    expect(sitemap.match(/\/diff\//g)).toHaveLength(1);
  });

  it('titles the page base → head with links to both runs and the SIMULATED banner', () => {
    const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(page)?.[1] ?? '';
    expect(h1).toContain(`href="/runs/${SWEEP_ID}/"`);
    expect(h1).toContain(`href="/runs/${SLOWER_ID}/">slo-sweep slower</a>`);
    expect(h1.indexOf(SWEEP_ID)).toBeLessThan(h1.indexOf(SLOWER_ID));
    expect(page).toContain('<strong>SIMULATED:</strong>');
  });

  it('shows what differs between the runs: the TGI version, as a warning', () => {
    const table = /<table class="environment-diff"[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(table).toMatch(/<th scope="row">engine version<\/th>\s*<td>tgi-sim<\/td>\s*<td>3\.3\.4<\/td>\s*<td>3\.3\.5<\/td>/);
    expect(table).toContain('<strong>warning</strong>');
    expect(table).not.toContain('vllm-sim');
  });

  it('names the regression in inter-token latency of TGI in the delta table, the verdict word in the cell, and none on vLLM', () => {
    const rows = [...page.matchAll(/<tr>\s*<td>([^<]+)<\/td>\s*<td>([^<]+)<\/td>\s*<th scope="row">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => ({
      engine: m[1]!,
      metric: m[3]!,
      verdict: /<td class="verdict[^"]*"><strong>([^<]+)<\/strong>/.exec(m[4]!)?.[1],
      interval: /<td class="num ci">\[([^,]+), ([^\]]+)\]<\/td>/.exec(m[4]!),
    }));
    expect(rows.length).toBeGreaterThan(40);
    // ITL p50 per phase (the unit tests allow TPOT "insufficient data" at the smallest phases)
    const tgiDecode = rows.filter((r) => r.engine === 'tgi-sim' && r.metric === 'ITL p50');
    expect(tgiDecode).toHaveLength(4);
    expect(tgiDecode.map((r) => r.verdict)).toContain('regression');
    for (const r of tgiDecode) {
      expect(['regression', 'likely regression'], r.metric).toContain(r.verdict);
      // the interval excludes 0: both ends are increases
      expect(r.interval?.[1], r.metric).toMatch(/^\+/);
    }
    expect(rows.filter((r) => r.engine === 'vllm-sim').map((r) => r.verdict)).not.toContain('regression');
  });

  it('counts the verdicts and charts the intervals as an inline SVG linked to the table', () => {
    expect(page).toMatch(/<ul class="verdict-counts">\s*<li><strong>\d+<\/strong> regression<\/li>/);
    const figure = /<figure class="chart diff-chart"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
    expect(figure).toMatch(/<svg[^>]* role="img"/);
    expect(figure).toContain('>Change per metric with its 95 % interval</title>');
    expect(figure).toContain('<a href="#delta-table">Data table</a>');
    expect(figure).not.toMatch(/ style="/);
  });

  it('links the head run report to its diff page, and no other report to one', async () => {
    const head = await readFile(join(dist, 'runs', SLOWER_ID, 'index.html'), 'utf8');
    expect(head).toMatch(new RegExp(`Compared with the previous run: <a href="/${DIFF.replaceAll('.', '\\.')}/">what changed since slo-sweep</a>`));
    for (const id of [SWEEP_ID, GOLDEN_ID]) expect(await readFile(join(dist, 'runs', id, 'index.html'), 'utf8')).not.toContain('Compared with the previous run');
  });
});
