// OpenGraph and Twitter meta tags, so a link pasted into chat or a post unfurls with the page's
// answer. Crawlers need an absolute image URL: with the site's origin set (SERVEBENCH_SITE) it is
// one; without, the image is given as a path from the root, which some unfurlers (Slack, Teams)
// resolve against the page and others ignore.
import { siteHref } from '../paths.ts';

/** What a page shares: its share card and the text beside it. */
export interface ShareCard {
  title: string;
  description: string;
  /** The card image, as a path inside the site (no leading slash): 'runs/<id>/card.png'. */
  image: string;
  /** The card's text for those who cannot see it: the headline verdict. */
  imageAlt: string;
}

export interface MetaTag {
  /** OpenGraph tags use `property`, Twitter's use `name`. */
  attribute: 'property' | 'name';
  key: string;
  content: string;
}

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

export interface ShareMetaInput {
  /** The page's title and description, used when it has no card of its own. */
  title: string;
  description?: string | undefined;
  card?: ShareCard | undefined;
  base: string;
  /** The origin the site is published at, when known. */
  site?: URL | string | undefined;
  /** The page's path inside the site, for og:url. */
  path?: string | undefined;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The tags as HTML. Their content is a run's own text (names, models: anything), and Astro escapes
 * only quotes and ampersands in attributes, so these are written here with every markup character
 * escaped: no `<script` from a run appears anywhere in a page, even inside an attribute.
 */
export function metaTagsHtml(tags: readonly MetaTag[]): string {
  return tags.map((tag) => `<meta ${tag.attribute}="${escapeHtml(tag.key)}" content="${escapeHtml(tag.content)}">`).join('');
}

export function shareMetaTags(input: ShareMetaInput): MetaTag[] {
  const absolute = (path: string): string => (input.site === undefined ? siteHref(input.base, path) : new URL(siteHref(input.base, path), input.site).href);
  const title = input.card?.title ?? input.title;
  const description = input.card?.description ?? input.description;
  const og = (key: string, content: string): MetaTag => ({ attribute: 'property', key, content });
  const twitter = (key: string, content: string): MetaTag => ({ attribute: 'name', key, content });
  const tags: MetaTag[] = [og('og:type', 'website'), og('og:site_name', 'servebench'), og('og:title', title)];
  if (description) tags.push(og('og:description', description));
  if (input.site !== undefined && input.path !== undefined) tags.push(og('og:url', absolute(input.path)));
  if (input.card === undefined) {
    tags.push(twitter('twitter:card', 'summary'), twitter('twitter:title', title));
    if (description) tags.push(twitter('twitter:description', description));
    return tags;
  }
  const image = absolute(input.card.image);
  tags.push(
    og('og:image', image),
    og('og:image:type', 'image/png'),
    og('og:image:width', String(CARD_WIDTH)),
    og('og:image:height', String(CARD_HEIGHT)),
    og('og:image:alt', input.card.imageAlt),
    twitter('twitter:card', 'summary_large_image'),
    twitter('twitter:title', title),
    twitter('twitter:image', image),
    twitter('twitter:image:alt', input.card.imageAlt),
  );
  if (description) tags.push(twitter('twitter:description', description));
  return tags;
}
