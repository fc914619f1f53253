// The report site: every run under SERVEBENCH_RUNS becomes static pages in ./dist.
// Settings come from the environment so `npx astro build`, `npm run build` and
// `servebench site build` (which sets these variables) produce the same site:
//   SERVEBENCH_RUNS         runs directory (default runs)
//   SERVEBENCH_SITE         absolute origin the site is published at (for the sitemap), e.g. https://org.github.io
//   SERVEBENCH_BASE         path the site is served under (default /), e.g. /repo/ or /repo/pr-12/
//   SERVEBENCH_SKIP_INVALID 1 = build the valid runs and list the invalid ones instead of stopping
//   SERVEBENCH_CACHE_DIR    Astro's cache (default node_modules/.astro), so parallel builds do not share one
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { runDownloads } from './site/integrations/run-downloads.ts';
import { notesGuardPlugin, notesHeadingsPlugin } from './site/lib/executive/notes-guard.ts';

// Astro's anonymous usage telemetry would send a request to its servers: the build stays offline.
process.env.ASTRO_TELEMETRY_DISABLED = '1';

/** '/', '/repo/', '/repo/pr-1/': always a leading and a trailing slash. */
function normalizeBase(value) {
  const trimmed = (value ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

const site = process.env.SERVEBENCH_SITE?.trim() || undefined;

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist',
  ...(process.env.SERVEBENCH_CACHE_DIR ? { cacheDir: process.env.SERVEBENCH_CACHE_DIR } : {}),
  output: 'static',
  ...(site ? { site } : {}),
  base: normalizeBase(process.env.SERVEBENCH_BASE),
  trailingSlash: 'ignore',
  build: {
    format: 'directory',
    // One CSS file, linked: the Content-Security-Policy allows no inline <style>.
    inlineStylesheets: 'never',
  },
  // Links are plain <a href>: no prefetch script, no client-side router, no dev toolbar in the output.
  prefetch: false,
  devToolbar: { enabled: false },
  // @astrojs/mdx draws each run's notes.mdx, compiled by site/lib/executive/notes-render.ts into
  // a component of Astro's JSX (its renderer), and holds any .mdx the site compiles to prose and
  // servebench's own components: notes come with runs, and MDX could otherwise run code.
  integrations: [mdx({ processor: satteri({ mdastPlugins: [notesGuardPlugin, notesHeadingsPlugin] }) }), runDownloads()],
  vite: {
    plugins: [collectorAsIs()],
  },
});

/**
 * The collector's modules run as they are in the build (Node strips their types) instead of
 * being bundled into the pages: they read files next to themselves (package.json for the tool
 * version), which a bundled copy would look for in the wrong place. Only the page build is
 * affected; the content loader already runs them from their own files.
 */
function collectorAsIs() {
  const collectorDir = fileURLToPath(new URL('./collector/', import.meta.url));
  return {
    name: 'servebench:collector-as-is',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (importer === undefined || !source.includes('collector/')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved === null || resolved.external || !resolved.id.startsWith(collectorDir)) return null;
      return { id: pathToFileURL(resolved.id).href, external: 'absolute' };
    },
  };
}
