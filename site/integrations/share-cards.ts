// Each run's share cards, written beside its pages once they are built: runs/<id>/card.png for the
// report and runs/<id>/executive/card.png for the executive summary (site/lib/cards/), each taken
// from the card cache when nothing it shows has changed. Called from the downloads hook
// (run-downloads.ts), which has every published run's whole record at hand.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Run } from '../../collector/store/schema/index.ts';
import { cardKey, readCachedCard, writeCachedCard } from '../lib/cards/cache.ts';
import { cardModel, renderCard, type CardPage } from '../lib/cards/card.ts';
import { loadCardFont } from '../lib/cards/font.ts';
import { CARD_FILE } from '../lib/cards/share.ts';

/** Each card's page directory under the run's. */
const PAGE_DIRS: Record<CardPage, string> = { report: '', executive: 'executive' };

export interface CardCounts {
  drawn: number;
  cached: number;
}

/** Writes the cards of the run's pages that were built; returns how many were drawn and how many came from the cache. */
export async function writeShareCards(run: Run, runDir: string, cacheDir: string): Promise<CardCounts> {
  const font = await loadCardFont();
  const counts: CardCounts = { drawn: 0, cached: 0 };
  for (const page of Object.keys(PAGE_DIRS) as CardPage[]) {
    const dir = join(runDir, PAGE_DIRS[page]);
    const built = await stat(join(dir, 'index.html')).then(
      () => true,
      () => false,
    );
    if (!built) continue;
    const model = cardModel(run, page);
    const key = await cardKey(model, font.hash);
    let png = await readCachedCard(cacheDir, key);
    if (png === null) {
      png = (await renderCard(model, font)).png;
      await writeCachedCard(cacheDir, key, png);
      counts.drawn++;
    } else counts.cached++;
    await writeFile(join(dir, CARD_FILE), png);
  }
  return counts;
}
