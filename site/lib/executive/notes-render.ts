// A run's notes.mdx as a component, compiled and evaluated here with Sätteri (the MDX compiler
// Astro 7 uses) against Astro's JSX runtime, which the @astrojs/mdx renderer draws. Not through
// a content collection's deferred modules: Astro lists those in one file under the project's
// .astro/, which every build from this checkout shares, and a build running beside another would
// read the other's notes. The notes were checked when the runs were read (notes-check.ts); the
// guard runs again inside this compile, so a note holding code never reaches evaluation.
import { Fragment, jsx, jsxs } from 'astro/jsx-runtime';
import { pathToFileURL } from 'node:url';
import { evaluate } from 'satteri';
import { notesGuardPlugin, notesHeadingsPlugin } from './notes-guard.ts';

type JsxFactory = (type: unknown, props: unknown, key?: unknown) => unknown;

/** The notes as a component taking `components` (Metric, Delta, Verdict, Chart). */
export async function notesComponent(source: string, file: string): Promise<(props: { components: Record<string, unknown> }) => unknown> {
  const module = await evaluate(source, {
    Fragment,
    jsx: jsx as JsxFactory,
    jsxs: jsxs as JsxFactory,
    fileURL: pathToFileURL(file),
    // as Astro renders Markdown: GFM (on by default) and typographic quotes and dashes
    features: { smartPunctuation: true },
    mdastPlugins: [notesGuardPlugin, notesHeadingsPlugin],
  });
  return module['default'] as (props: { components: Record<string, unknown> }) => unknown;
}
