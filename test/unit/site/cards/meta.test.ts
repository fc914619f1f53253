// The share meta tags in every page's head: OpenGraph and Twitter, with an absolute card URL when
// the site's origin is known, and a run page's card and verdict.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulatedNotice } from '../../../../collector/pdf/templates.ts';
import { readRun } from '../../../../collector/store/read-run.ts';
import { headlineVerdict } from '../../../../site/lib/cards/headline.ts';
import { metaTagsHtml, shareMetaTags, type MetaTag } from '../../../../site/lib/cards/meta.ts';
import { cardPath, runShareCard } from '../../../../site/lib/cards/share.ts';

const GOLDEN = fileURLToPath(new URL('../../../fixtures/runs/golden/', import.meta.url));
const tag = (tags: MetaTag[], key: string) => tags.find((t) => t.key === key)?.content;

describe('shareMetaTags', () => {
  const card = { title: 'Run x: executive summary', description: 'vllm met every SLO', image: 'runs/x/executive/card.png', imageAlt: 'the card' };

  it('gives the card as an absolute URL under the base when the origin is known', () => {
    const tags = shareMetaTags({ title: 'T', card, base: '/repo/', site: 'https://org.github.io', path: 'runs/x/executive/' });
    expect(tag(tags, 'og:image')).toBe('https://org.github.io/repo/runs/x/executive/card.png');
    expect(tag(tags, 'twitter:image')).toBe('https://org.github.io/repo/runs/x/executive/card.png');
    expect(tag(tags, 'og:url')).toBe('https://org.github.io/repo/runs/x/executive/');
    expect(tag(tags, 'twitter:card')).toBe('summary_large_image');
    expect(tag(tags, 'og:title')).toBe('Run x: executive summary');
    expect(tag(tags, 'og:description')).toBe('vllm met every SLO');
    expect(tag(tags, 'og:image:width')).toBe('1200');
    expect(tag(tags, 'og:image:height')).toBe('630');
    expect(tags.find((t) => t.key === 'twitter:card')?.attribute).toBe('name');
    expect(tags.find((t) => t.key === 'og:image')?.attribute).toBe('property');
  });

  it('gives the card as a path from the root, and no og:url, when the origin is not known', () => {
    const tags = shareMetaTags({ title: 'T', card, base: '/repo/', path: 'runs/x/' });
    expect(tag(tags, 'og:image')).toBe('/repo/runs/x/executive/card.png');
    expect(tag(tags, 'og:url')).toBeUndefined();
  });

  it("gives a page without a card its title and description, and a small summary card", () => {
    const tags = shareMetaTags({ title: 'Runs · servebench', description: '12 runs', base: '/' });
    expect(tag(tags, 'og:title')).toBe('Runs · servebench');
    expect(tag(tags, 'og:description')).toBe('12 runs');
    expect(tag(tags, 'twitter:card')).toBe('summary');
    expect(tag(tags, 'og:image')).toBeUndefined();
  });
});

describe('metaTagsHtml', () => {
  it("escapes every markup character of a run's text, inside attributes too", () => {
    const html = metaTagsHtml([{ attribute: 'property', key: 'og:title', content: `model <script>alert(1)</script> "onload="x' &` }]);
    expect(html).toBe('<meta property="og:title" content="model &#60;script&#62;alert(1)&#60;/script&#62; &#34;onload=&#34;x&#39; &#38;">');
  });
});

describe('runShareCard', () => {
  it("shares the run's verdict, says SIMULATED first when it measured the simulator, and points at its page's card", async () => {
    const run = await readRun(GOLDEN);
    const card = runShareCard(run, 'executive');
    expect(card.image).toBe(`runs/${run.id}/executive/card.png`);
    expect(cardPath(run.id, 'report')).toBe(`runs/${run.id}/card.png`);
    expect(card.title).toBe('golden chat smoke: executive summary');
    expect(card.description).toBe(`${simulatedNotice(run.engines)} ${headlineVerdict(run).text}`);
    expect(card.description).toMatch(/^SIMULATED: ollama-b is servebench's simulator/);
    expect(card.imageAlt).toContain(headlineVerdict(run).text);
  });
});
