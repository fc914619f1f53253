// Share cards drawn without a browser: a PNG of OpenGraph's size, saying the run, its date, the
// headline verdict and SIMULATED when it measured the simulator; run text cleaned of control
// characters and cut to fit; cached by what the card shows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../../collector/store/read-run.ts';
import type { Run } from '../../../../collector/store/schema/index.ts';
import { cardKey, pngSize, readCachedCard, writeCachedCard } from '../../../../site/lib/cards/cache.ts';
import { SIMULATED_NOTICE } from '../../../../collector/pdf/templates.ts';
import { cardModel, cardText, cardTree, renderCard } from '../../../../site/lib/cards/card.ts';
import { findCardFont, loadCardFont } from '../../../../site/lib/cards/font.ts';
import { headlineVerdict } from '../../../../site/lib/cards/headline.ts';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/runs/golden/', import.meta.url));

let golden: Run;
let realOnly: Run;
let tmp: string;
beforeAll(async () => {
  golden = await readRun(GOLDEN);
  realOnly = structuredClone(golden);
  realOnly.engines = realOnly.engines.filter((e) => !e.simulated);
  tmp = await mkdtemp(join(tmpdir(), 'servebench-cards-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every string in a satori element tree, in order. */
function texts(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node !== null && typeof node === 'object' && 'props' in node) return texts((node as { props: { children?: unknown } }).props.children ?? []);
  return [];
}

describe('cardModel', () => {
  it('says the run, its date, the page and the headline verdict', () => {
    const model = cardModel(golden, 'executive');
    expect(model.title).toBe('golden chat smoke');
    expect(model.subtitle).toBe(`2025-06-12 09:30 UTC · scenario ${String(golden.scenario['name'])}`);
    expect(model.kicker).toBe('Executive summary');
    expect(model.lines).toEqual(headlineVerdict(golden).lines);
    expect(model.numbers).toEqual([]);
    const words = texts(cardTree(model)).join('\n');
    for (const line of model.lines) expect(words).toContain(line);
  });

  it("adds each engine's headline numbers on the report's card", () => {
    const model = cardModel(golden, 'report');
    const phase = golden.engines[0]!.phases.at(-1)!;
    expect(model.numbers[0]).toEqual({ engine: 'vllm-a', text: `TTFT p50 ${phase.ttftMs.p50!.toFixed(1)} ms · E2E p95 ${phase.e2eMs.p95!.toFixed(1)} ms · ${phase.outputTokensPerS.toFixed(1)} output tokens/s` });
  });

  it('puts SIMULATED at the top of the card of a run that measured the simulator, naming the engines when only some were', () => {
    // The golden run: vllm-a is real, ollama-b simulated.
    expect(texts(cardTree(cardModel(golden, 'report')))[0]).toBe("SIMULATED: ollama-b is servebench's simulator, not a real engine; the other engines are real.");
    const allSimulated = structuredClone(golden);
    for (const engine of allSimulated.engines) engine.simulated = true;
    expect(texts(cardTree(cardModel(allSimulated, 'executive')))[0]).toBe(SIMULATED_NOTICE);
    expect(cardModel(realOnly, 'report').simulated).toBeNull();
    expect(texts(cardTree(cardModel(realOnly, 'report'))).join(' ')).not.toContain('SIMULATED');
  });

  it('counts what a card has no room for: engines past the third, verdict lines past its budget', () => {
    const crowded = structuredClone(golden);
    crowded.engines = Array.from({ length: 6 }, (_, i) => ({ ...structuredClone(golden.engines[0]!), label: `engine-${i}` }));
    // Six engines judged against an objective: one verdict line each.
    crowded.slo = { objectives: [{ text: 'ttft:p95<200ms', metric: 'ttft', stat: 'p95', op: '<', value: 200, perRequest: true }], source: 'command line' };
    for (const engine of crowded.engines) {
      engine.phases[0]!.requests = { ...engine.phases[0]!.requests, ok: 3, failed: 0 };
      engine.phases[0]!.slo = { verdicts: [{ objective: 'ttft:p95<200ms', measured: 50, ci: { lo: 40, hi: 60 }, verdict: 'met', margin: 0.75 }], verdict: 'met', goodput: null };
    }
    expect(headlineVerdict(crowded).lines).toHaveLength(6);
    const report = cardModel(crowded, 'report');
    expect(report.numbers.map((n) => n.engine)).toEqual(['engine-0', 'engine-1', 'engine-2', '']);
    expect(report.numbers.at(-1)!.text).toBe('… and 3 more engines on the page');
    expect(report.lines).toEqual(['engine-0 met every SLO at 2 concurrent users', 'engine-1 met every SLO at 2 concurrent users', '… and 4 more on the page']);
    expect(cardModel(crowded, 'executive').lines.at(-1)).toBe('… and 2 more on the page');
    expect(cardModel(crowded, 'executive').lines).toHaveLength(5);
  });

  it("cleans a run's text of control characters and cuts it to fit", () => {
    const run = structuredClone(golden);
    run.name = `evil\u001b[31m name\n${'x'.repeat(200)}`;
    const model = cardModel(run, 'executive');
    expect(model.title).not.toMatch(/[\u0000-\u001f]/);
    expect(model.title.length).toBeLessThanOrEqual(70);
    expect(model.title.endsWith('…')).toBe(true);
    expect(cardText('a\u0007\u0007b', 10)).toBe('a b');
  });
});

describe('renderCard', () => {
  it('draws a 1200 × 630 PNG that decodes', async () => {
    const { png, svg } = await renderCard(cardModel(golden, 'executive'), await loadCardFont());
    expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
    const { dominant } = await sharp(png).stats();
    // Mostly white, as drawn: the decode gives back the picture, not noise.
    expect(Math.min(dominant.r, dominant.g, dominant.b)).toBeGreaterThan(200);
    expect(svg.startsWith('<svg')).toBe(true);
    // Small enough that a card for every run fits a site under GitHub Pages' 1 GB.
    expect(png.length).toBeLessThan(60_000);
  });
});

describe('the card font', () => {
  it('is found among the installed fonts, and named by SERVEBENCH_CARD_FONT when set', () => {
    expect(findCardFont({}, (p) => p.endsWith('LiberationSans-Regular.ttf') || p.endsWith('LiberationSans-Bold.ttf'))[0]).toMatch(/LiberationSans-Regular\.ttf$/);
    expect(findCardFont({ SERVEBENCH_CARD_FONT: '/fonts/x.otf' }, () => true)).toEqual(['/fonts/x.otf', '/fonts/x.otf']);
  });

  it('says how to install one when none is found', () => {
    expect(() => findCardFont({}, () => false)).toThrow(/apt-get install fonts-dejavu-core.*SERVEBENCH_CARD_FONT/);
  });
});

describe('the card cache', () => {
  it('files a card under what it shows: the same model, the same key; another verdict, another key', async () => {
    const model = cardModel(golden, 'executive');
    const key = await cardKey(model, 'font');
    expect(await cardKey(cardModel(golden, 'executive'), 'font')).toBe(key);
    expect(await cardKey({ ...model, lines: ['another verdict'] }, 'font')).not.toBe(key);
    expect(await cardKey(model, 'another font')).not.toBe(key);
  });

  it('gives back a card of the right size, and not a file that is not one', async () => {
    const { png } = await renderCard(cardModel(realOnly, 'executive'), await loadCardFont());
    await writeCachedCard(tmp, 'good', png);
    expect(await readCachedCard(tmp, 'good')).toEqual(png);
    await writeFile(join(tmp, 'garbage.png'), 'not a png');
    expect(await readCachedCard(tmp, 'garbage')).toBeNull();
    const small = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    await writeFile(join(tmp, 'small.png'), small);
    expect(pngSize(small)).toEqual({ width: 10, height: 10 });
    expect(await readCachedCard(tmp, 'small')).toBeNull();
    expect(await readCachedCard(tmp, 'absent')).toBeNull();
  });
});
