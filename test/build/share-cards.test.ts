// Share cards and meta tags in a built site (a real `servebench site build` under a base path and
// an origin): every run gets a 1200 × 630 PNG card for its report and one for its executive
// summary, saying its verdict; every page carries OpenGraph and Twitter tags; every og:image a
// page names is a card that was written; a rebuild takes unchanged cards from the cache.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../collector/store/read-run.ts';
import { cardModel } from '../../site/lib/cards/card.ts';
import { headlineVerdict } from '../../site/lib/cards/headline.ts';
import { DEMO_DIR, DEMO_ID, GOLDEN_DIR, GOLDEN_ID } from './fixtures.ts';
import { filesUnder, siteBuild, type Built } from './site-build.ts';

const BASE = '/repo/';
const ORIGIN = 'https://org.example.io';

/** The value of every `<meta property|name="key" content="…">` in a page, entities as written. */
function meta(html: string, key: string): string[] {
  return [...html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)].filter((m) => m[1] === key).map((m) => m[2]!);
}

const unescape = (text: string): string => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe('share cards in a built site', () => {
  let tmp: string;
  let dist: string;
  let built: Built;
  const html = new Map<string, string>();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-cards-'));
    const runs = join(tmp, 'runs');
    await cp(DEMO_DIR, join(runs, DEMO_ID), { recursive: true });
    await cp(GOLDEN_DIR, join(runs, GOLDEN_ID), { recursive: true });
    dist = join(tmp, 'dist');
    built = await siteBuild(['--runs', runs, '--out', dist, '--base', BASE, '--site', ORIGIN], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${built.stdout}\n${built.stderr}`);
    for (const file of (await filesUnder(dist)).filter((f) => f.endsWith('.html'))) html.set(relative(dist, file), await readFile(file, 'utf8'));
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("writes a 1200 × 630 PNG card for each run's report and executive summary", async () => {
    for (const id of [DEMO_ID, GOLDEN_ID]) {
      for (const card of [join('runs', id, 'card.png'), join('runs', id, 'executive', 'card.png')]) {
        const info = await sharp(await readFile(join(dist, card))).metadata();
        expect([card, info.format, info.width, info.height]).toEqual([card, 'png', 1200, 630]);
      }
    }
  });

  it("draws each card from the run's headline verdict", async () => {
    const run = await readRun(join(dist, 'runs', GOLDEN_ID));
    const model = cardModel(run, 'executive');
    expect(model.lines.join(' · ')).toBe(headlineVerdict(run).text);
    expect(model.simulated).toContain('SIMULATED: ollama-b');
  });

  it('puts OpenGraph and Twitter tags in every page', () => {
    for (const [page, text] of html) {
      expect(meta(text, 'og:title'), page).toHaveLength(1);
      expect(meta(text, 'og:type'), page).toEqual(['website']);
      expect(meta(text, 'twitter:card'), page).toHaveLength(1);
    }
    const index = html.get('index.html')!;
    expect(meta(index, 'og:url')).toEqual([`${ORIGIN}${BASE}`]);
    expect(meta(index, 'og:title')[0]).toContain('servebench');
  });

  it('names as og:image only cards that were written, by absolute URL, with the verdict as their text', async () => {
    const runPages = [...html.keys()].filter((page) => /^runs\/[^/]+\/(executive\/)?index\.html$/.test(page));
    expect(runPages.length).toBeGreaterThanOrEqual(4);
    for (const page of runPages) expect(meta(html.get(page)!, 'og:image'), page).toHaveLength(1);
    for (const [page, text] of html) {
      for (const image of meta(text, 'og:image')) {
        expect(image.startsWith(`${ORIGIN}${BASE}`), page).toBe(true);
        const file = join(dist, image.slice(`${ORIGIN}${BASE}`.length));
        expect((await sharp(await readFile(file)).metadata()).width, page).toBe(1200);
        expect(meta(text, 'twitter:card')).toEqual(['summary_large_image']);
        const id = /^runs\/([^/]+)\//.exec(image.slice(`${ORIGIN}${BASE}`.length))![1]!;
        const verdict = headlineVerdict(await readRun(join(dist, 'runs', id))).text;
        expect(unescape(meta(text, 'og:image:alt')[0]!)).toContain(verdict);
      }
    }
  });

  it('takes unchanged cards from the cache when the site is built again', async () => {
    expect(built.stdout).toContain('share cards: 4 drawn, 0 from the cache');
    const before = await readFile(join(dist, 'runs', DEMO_ID, 'card.png'));
    const again = await siteBuild(['--runs', join(tmp, 'runs'), '--out', dist, '--base', BASE, '--site', ORIGIN], join(tmp, 'cache'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('share cards: 0 drawn, 4 from the cache');
    expect(await readFile(join(dist, 'runs', DEMO_ID, 'card.png'))).toEqual(before);
    const cached = (await filesUnder(join(tmp, 'cache', 'servebench-cards'))).filter((f) => f.endsWith('.png'));
    expect(cached).toHaveLength(4);
  });
});
