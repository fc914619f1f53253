// The font share cards are drawn in. satori lays text out from a font file (TrueType or OpenType;
// not WOFF2), and the build never downloads one, so it uses a font installed on the machine:
// DejaVu Sans (Debian's fonts-dejavu-core, which .ci/run installs when missing), else Liberation
// Sans, macOS's Arial or Windows' Arial. SERVEBENCH_CARD_FONT names another regular-weight file.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';

export interface CardFont {
  name: string;
  regular: Buffer;
  bold: Buffer;
  /** sha256 of both files, for the card cache. */
  hash: string;
  /** Where they were read from. */
  files: [string, string];
}

/** Regular and bold files, in the order they are looked for. */
export const FONT_CANDIDATES: readonly [string, string][] = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'],
  ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
];

/** The font files to use, or an error saying how to get one. */
export function findCardFont(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): [string, string] {
  const named = env['SERVEBENCH_CARD_FONT']?.trim();
  if (named) {
    if (!exists(named)) throw new Error(`SERVEBENCH_CARD_FONT names ${named}, which does not exist: name a TrueType or OpenType font file`);
    return [named, named];
  }
  const found = FONT_CANDIDATES.find(([regular]) => exists(regular));
  if (found === undefined) {
    throw new Error(
      'no font for the share cards: install DejaVu Sans (Debian, Ubuntu: apt-get install fonts-dejavu-core), or set SERVEBENCH_CARD_FONT to a TrueType or OpenType font file',
    );
  }
  return exists(found[1]) ? found : [found[0], found[0]];
}

let loaded: Promise<CardFont> | undefined;

export function loadCardFont(env: NodeJS.ProcessEnv = process.env): Promise<CardFont> {
  loaded ??= (async () => {
    const files = findCardFont(env);
    const [regular, bold] = await Promise.all(files.map((file) => readFile(file)));
    const hash = createHash('sha256').update(regular!).update(bold!).digest('hex');
    return { name: 'Card Sans', regular: regular!, bold: bold!, hash, files };
  })();
  return loaded;
}
