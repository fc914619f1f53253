// PDFs are cached by content, as the site's derived data is (site/lib/derived/cache.ts): a PDF is
// filed under a hash of the page's HTML, the print settings and the code that prints it, with the
// hash of every file the page loaded while it was printed (stylesheets, images). A rebuild prints
// only the pages whose HTML or files changed. Entries are touched when used and removed after a
// week unused.
//
// The cache directory may be restored from a CI cache someone else could write, and a PDF is
// published as it is. So an entry is used only when its PDF matches the sha256 its record holds
// (a torn or damaged file), is a PDF at all, and the files its page loaded still hash the same.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';


export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const Entry = z.object({
  key: z.string(),
  pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Files under the site directory the page loaded, by path relative to it, with their sha256. */
  resources: z.record(z.string(), z.string()),
});
export type PdfCacheEntry = z.infer<typeof Entry>;

let codeHash: Promise<string> | undefined;

/** A hash of the code that prints: every module of this folder. A change prints every PDF again. */
export function pdfCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const dir = fileURLToPath(new URL('./', import.meta.url));
    const hash = createHash('sha256');
    const puppeteerPackage = fileURLToPath(import.meta.resolve('puppeteer/package.json'));
    hash.update(`puppeteer ${(JSON.parse(await readFile(puppeteerPackage, 'utf8')) as { version: string }).version}\n`);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts')).sort()) hash.update(`${name}\n`).update(await readFile(join(dir, name)));
    return hash.digest('hex');
  })();
  return codeHash;
}

/** The key a page's PDF is filed under: the printing code, the settings (templates, paper) and the page's HTML. */
export async function pdfKey(html: Uint8Array, settings: unknown): Promise<string> {
  return createHash('sha256')
    .update(await pdfCodeHash())
    .update(JSON.stringify(settings))
    .update('\n')
    .update(html)
    .digest('hex')
    .slice(0, 32);
}

const within = (root: string, path: string): boolean => path.startsWith(root.endsWith('/') ? root : `${root}/`);

/** The cached PDF for this key when its record, its bytes and the files its page loaded all hold up; null otherwise. */
export async function readCachedPdf(cacheDir: string, key: string, siteDir: string): Promise<Buffer | null> {
  const record = join(cacheDir, `${key}.json`);
  let entry: PdfCacheEntry;
  try {
    const parsed = Entry.safeParse(JSON.parse(await readFile(record, 'utf8')));
    if (!parsed.success || parsed.data.key !== key) return null;
    entry = parsed.data;
  } catch {
    return null;
  }
  for (const [path, hash] of Object.entries(entry.resources)) {
    const file = resolve(siteDir, path);
    if (!within(resolve(siteDir), file)) return null;
    const bytes = await readFile(file).catch(() => null);
    if (bytes === null || sha256(bytes) !== hash) return null;
  }
  const pdf = await readFile(join(cacheDir, `${key}.pdf`)).catch(() => null);
  if (pdf === null || sha256(pdf) !== entry.pdfSha256 || !isPdf(pdf)) return null;
  const now = new Date();
  await Promise.all([record, join(cacheDir, `${key}.pdf`)].map((file) => utimes(file, now, now).catch(() => undefined)));
  return pdf;
}

/** A PDF file's first and last marks: `%PDF-` at the start, `%%EOF` near the end. */
export function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.subarray(-32).toString('latin1').includes('%%EOF');
}

/** Files the PDF, then its record (the record last: a record always has its PDF). */
export async function writeCachedPdf(cacheDir: string, key: string, pdf: Buffer, resources: Record<string, string>): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const entry: PdfCacheEntry = { key, pdfSha256: sha256(pdf), resources };
  for (const [name, bytes] of [
    [`${key}.pdf`, pdf],
    [`${key}.json`, `${JSON.stringify(entry)}\n`],
  ] as const) {
    const file = join(cacheDir, name);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  }
}

/** Where PDFs are cached: in Astro's cache directory (SERVEBENCH_CACHE_DIR, else node_modules/.astro), resolved from the project as Astro does. */
export function pdfCacheDir(env: NodeJS.ProcessEnv): string {
  const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
  return join(resolve(projectRoot, env['SERVEBENCH_CACHE_DIR']?.trim() || join('node_modules', '.astro')), 'servebench-pdf');
}
