// A run's share card: the picture a pasted link unfurls with (OpenGraph's 1200 × 630). What it
// says is plain data (cardModel), laid out by satori into SVG and drawn to PNG by resvg, at build
// time and without a browser, then quantised to a 16-colour palette by sharp (a third of the
// bytes: flat colours and antialiased text need no more). Two per run: the executive summary's (the verdict) and the run
// report's (the verdict and each engine's headline numbers). SIMULATED heads the card of any run
// that measured the simulator.
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import sharp from 'sharp';
import { simulatedNotice } from '../../../collector/pdf/templates.ts';
import type { Run } from '../../../collector/store/schema/index.ts';
import { dateTime, ms, rate } from '../format.ts';
import { headline as engineHeadline, scenarioName } from '../runs.ts';
import { headlineVerdict } from './headline.ts';
import type { CardFont } from './font.ts';
import { CARD_HEIGHT, CARD_WIDTH } from './meta.ts';

export type CardPage = 'report' | 'executive';

export const CARD_KICKERS: Record<CardPage, string> = { report: 'Run report', executive: 'Executive summary' };

/** Verdict lines each card has room for (the report's shares it with the numbers); the rest is counted. */
const MAX_LINES: Record<CardPage, number> = { executive: 5, report: 3 };
/** Engines whose numbers a report card has room for; the rest is counted. */
const MAX_ENGINES = 3;

export interface CardModel {
  page: CardPage;
  runId: string;
  kicker: string;
  title: string;
  /** `2026-11-23 20:32 UTC · scenario demo` */
  subtitle: string;
  /** What the card says first when an engine was simulated (as the pages and PDFs say it); null when none was. */
  simulated: string | null;
  /** The headline verdict, a sentence a line. */
  lines: string[];
  /** Report cards: each engine's numbers at its last phase. */
  numbers: { engine: string; text: string }[];
}

/** Text from a run, fit for one line of a card: no control characters, at most `max` characters. */
export function cardText(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function cardModel(run: Run, page: CardPage): CardModel {
  const verdict = headlineVerdict(run);
  const max = MAX_LINES[page];
  const lines = verdict.lines.slice(0, max).map((line) => cardText(line, 110));
  if (verdict.lines.length > max) lines[max - 1] = `… and ${verdict.lines.length - max + 1} more on the page`;
  const scenario = scenarioName(run);
  const numbers =
    page === 'executive'
      ? []
      : run.engines.slice(0, MAX_ENGINES).map((engine) => {
          const h = engineHeadline(engine);
          const text = h === null ? 'nothing measured' : `TTFT p50 ${ms(h.ttftP50Ms)} ms · E2E p95 ${ms(h.e2eP95Ms)} ms · ${rate(h.outputTokensPerS)} output tokens/s`;
          return { engine: cardText(engine.label, 28), text };
        });
  if (page === 'report' && run.engines.length > MAX_ENGINES) numbers.push({ engine: '', text: `… and ${run.engines.length - MAX_ENGINES} more engines on the page` });
  return {
    page,
    runId: run.id,
    kicker: CARD_KICKERS[page],
    title: cardText(run.name || run.id, 70),
    subtitle: cardText([dateTime(run.startedAt), scenario === null ? null : `scenario ${scenario}`].filter(Boolean).join(' · '), 90),
    simulated: simulatedNotice(run.engines),
    lines,
    numbers,
  };
}

/** satori's element shape: React's, without React. */
interface Node {
  type: string;
  props: { style?: Record<string, string | number>; children?: (Node | string)[] | Node | string };
}

const box = (style: Record<string, string | number>, ...children: (Node | string)[]): Node => ({
  type: 'div',
  props: { style: { display: 'flex', ...style }, children },
});

const INK = '#1b1f24';
const MUTED = '#57606a';

/** One block of text on at most `lines` lines, the rest cut with an ellipsis (satori's line clamp). */
const clamped = (lines: number, style: Record<string, string | number>, text: string): Node => ({
  type: 'div',
  props: { style: { display: 'block', lineClamp: lines, flexShrink: 0, ...style }, children: text },
});

/**
 * The card's layout. Run text can be long, so every block has a budget of lines and the verdict
 * takes what is left: the SIMULATED notice, the title, the numbers and the run id always show.
 */
export function cardTree(model: CardModel): Node {
  const band = model.simulated === null ? [] : [clamped(2, { backgroundColor: '#ffd34d', color: '#3d2a00', fontSize: 28, fontWeight: 700, padding: '16px 56px' }, model.simulated)];
  const verdict = model.lines.map((line, i) =>
    clamped(2, { fontSize: i === 0 ? 34 : 28, fontWeight: i === 0 ? 700 : 400, color: INK, marginTop: i === 0 ? 0 : 8, lineHeight: 1.25 }, line),
  );
  const numbers = model.numbers.map((row) =>
    box({ fontSize: 22, color: MUTED, marginTop: 6, flexShrink: 0 }, ...(row.engine === '' ? [] : [box({ fontWeight: 700, color: INK, marginRight: 14 }, row.engine)]), row.text),
  );
  return box(
    { width: CARD_WIDTH, height: CARD_HEIGHT, flexDirection: 'column', backgroundColor: '#ffffff', fontFamily: 'Card Sans' },
    ...band,
    box(
      { flexDirection: 'column', flexGrow: 1, minHeight: 0, padding: '36px 56px 28px', borderTop: model.simulated === null ? '12px solid #0969da' : '0' },
      box({ fontSize: 26, color: MUTED, flexShrink: 0 }, `servebench · ${model.kicker}`),
      clamped(model.title.length > 34 ? 2 : 1, { fontSize: model.title.length > 34 ? 42 : 52, fontWeight: 700, color: INK, marginTop: 8, lineHeight: 1.15 }, model.title),
      clamped(1, { fontSize: 24, color: MUTED, marginTop: 8 }, model.subtitle),
      // What is left between the title and the numbers; a verdict too long for it is cut, never the rest.
      box({ flexDirection: 'column', marginTop: 24, flexGrow: 1, flexShrink: 1, minHeight: 0, overflow: 'hidden' }, ...verdict),
      box({ flexDirection: 'column', flexShrink: 0 }, ...numbers),
      box({ fontSize: 18, color: MUTED, marginTop: 12, flexShrink: 0 }, `run ${model.runId}`),
    ),
  );
}

/** The card as SVG (text drawn as paths) and as a palette PNG. */
export async function renderCard(model: CardModel, font: CardFont): Promise<{ svg: string; png: Buffer }> {
  const svg = await satori(cardTree(model) as unknown as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: [
      { name: font.name, data: font.regular, weight: 400, style: 'normal' },
      { name: font.name, data: font.bold, weight: 700, style: 'normal' },
    ],
  });
  const image = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render();
  const png = await sharp(Buffer.from(image.pixels), { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ palette: true, colors: 16, dither: 0, effort: 1, compressionLevel: 6 })
    .toBuffer();
  return { svg, png };
}
