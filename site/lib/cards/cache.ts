// Share cards are cached by content, like the derived data (site/lib/derived/cache.ts): a card is
// filed under a hash of what it shows (its model), the font, the code that draws it and the
// versions of satori, resvg and sharp. A rebuild draws only the cards of new or changed runs.
// The directory may come from a CI cache others can write, so a cached file is used only when it
// is a PNG of the card's size; a bad one is drawn again and replaced.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARD_HEIGHT, CARD_WIDTH } from './meta.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's header (IHDR), or null when these bytes are no PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function packageVersion(name: string): Promise<string> {
  // Read the file beside the entry point: sharp's package.json is not among its exports.
  let dir = fileURLToPath(new URL('.', import.meta.resolve(name)));
  for (;;) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null);
    if (text !== null) {
      const manifest = JSON.parse(text) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    }
    const parent = join(dir, '..');
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

let codeHash: Promise<string> | undefined;

/** The code that draws cards (this folder) and the libraries it draws with. */
function cardCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256');
    for (const name of ['satori', '@resvg/resvg-js', 'sharp']) hash.update(`${name} ${await packageVersion(name)}\n`);
    const dir = fileURLToPath(new URL('./', import.meta.url));
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts')).sort()) hash.update(`${name}\n`).update(await readFile(join(dir, name)));
    return hash.digest('hex');
  })();
  return codeHash;
}

export async function cardKey(model: unknown, fontHash: string): Promise<string> {
  return createHash('sha256').update(await cardCodeHash()).update(fontHash).update(JSON.stringify(model)).digest('hex').slice(0, 32);
}

/** The cached card under this key, when it is a PNG of the card's size (touched, so pruning keeps it). */
export async function readCachedCard(cacheDir: string, key: string): Promise<Buffer | null> {
  const file = join(cacheDir, `${key}.png`);
  const bytes = await readFile(file).catch(() => null);
  const size = bytes === null ? null : pngSize(bytes);
  if (size === null || size.width !== CARD_WIDTH || size.height !== CARD_HEIGHT) return null;
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
  return bytes;
}

export async function writeCachedCard(cacheDir: string, key: string, png: Buffer): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, `${key}.png`);
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, png);
  await rename(temporary, file);
}
