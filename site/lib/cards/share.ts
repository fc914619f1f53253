// What a run's pages pass to the layout for their share meta tags (layouts/Base.astro `share`),
// and where the build writes their cards (integrations/share-cards.ts).
import type { Run } from '../../../collector/store/schema/index.ts';
import { runPath } from '../paths.ts';
import { simulatedNotice } from '../../../collector/pdf/templates.ts';
import { CARD_KICKERS, cardText, type CardPage } from './card.ts';
import { headlineVerdict } from './headline.ts';
import type { ShareCard } from './meta.ts';

export const CARD_FILE = 'card.png';

/** The card's path inside the site: `runs/<id>/card.png`, `runs/<id>/executive/card.png`. */
export function cardPath(runId: string, page: CardPage): string {
  return `${runPath(runId)}${page === 'executive' ? 'executive/' : ''}${CARD_FILE}`;
}

/** The share card of a run's report or executive summary: its title, its verdict as the description and the image's text. */
export function runShareCard(run: Run, page: CardPage): ShareCard {
  const verdict = headlineVerdict(run).text;
  const notice = simulatedNotice(run.engines);
  const simulated = notice === null ? '' : `${notice} `;
  const title = `${cardText(run.name || run.id, 70)}: ${CARD_KICKERS[page].toLowerCase()}`;
  return {
    title,
    description: `${simulated}${verdict}`,
    image: cardPath(run.id, page),
    imageAlt: `${title}. ${simulated}${verdict}`,
  };
}
