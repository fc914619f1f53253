// The PDF cache: a PDF is reused only for the same page HTML and settings, when the files its page
// loaded are unchanged and the cached bytes are whole; entries unused for a week are removed.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPdf, pdfKey, readCachedPdf, sha256, writeCachedPdf } from '../../../collector/pdf/cache.ts';
import { KEEP_UNUSED_MS, pruneUnused } from '../../../collector/store/prune-unused.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let tmp: string;
let cache: string;
let site: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-pdf-cache-'));
  cache = join(tmp, 'cache');
  site = join(tmp, 'dist');
  await mkdir(join(site, '_astro'), { recursive: true });
  await writeFile(join(site, '_astro', 'print.css'), 'a{}');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pdfKey', () => {
  it('is the same for the same HTML and settings, and differs when either changes', async () => {
    const html = Buffer.from('<h1>run</h1>');
    const key = await pdfKey(html, { format: 'A4' });
    expect(await pdfKey(Buffer.from('<h1>run</h1>'), { format: 'A4' })).toBe(key);
    expect(await pdfKey(Buffer.from('<h1>run!</h1>'), { format: 'A4' })).not.toBe(key);
    expect(await pdfKey(html, { format: 'Letter' })).not.toBe(key);
  });
});

describe('the PDF cache', () => {
  const resources = async () => ({ '_astro/print.css': sha256('a{}') });

  it('gives back what was filed', async () => {
    await writeCachedPdf(cache, 'k1', PDF, await resources());
    expect(await readCachedPdf(cache, 'k1', site)).toEqual(PDF);
    expect(await readCachedPdf(cache, 'k2', site)).toBeNull();
  });

  it('misses when a file the page loaded has changed or gone', async () => {
    await writeCachedPdf(cache, 'k1', PDF, await resources());
    await writeFile(join(site, '_astro', 'print.css'), 'a{color:red}');
    expect(await readCachedPdf(cache, 'k1', site)).toBeNull();
    await rm(join(site, '_astro', 'print.css'));
    expect(await readCachedPdf(cache, 'k1', site)).toBeNull();
  });

  it('misses when the PDF no longer matches its record, or is not a PDF', async () => {
    await writeCachedPdf(cache, 'k1', PDF, await resources());
    await writeFile(join(cache, 'k1.pdf'), Buffer.concat([PDF, Buffer.from('x')]));
    expect(await readCachedPdf(cache, 'k1', site)).toBeNull();
    const html = Buffer.from('<html>not a pdf</html>');
    await writeCachedPdf(cache, 'k2', html, {});
    expect(isPdf(html)).toBe(false);
    expect(await readCachedPdf(cache, 'k2', site)).toBeNull();
  });

  it('refuses a record that names a file outside the site', async () => {
    await writeFile(join(tmp, 'outside.css'), 'x');
    await writeCachedPdf(cache, 'k1', PDF, { '../outside.css': sha256('x') });
    expect(await readCachedPdf(cache, 'k1', site)).toBeNull();
  });

  it('removes entries unused for a week, and keeps the rest', async () => {
    await writeCachedPdf(cache, 'old', PDF, {});
    await writeCachedPdf(cache, 'new', PDF, {});
    const then = new Date(Date.now() - KEEP_UNUSED_MS - 60_000);
    for (const name of ['old.pdf', 'old.json']) await utimes(join(cache, name), then, then);
    expect(await pruneUnused(cache)).toBe(2);
    expect((await readdir(cache)).sort()).toEqual(['new.json', 'new.pdf']);
  });
});
