// A run's notes.mdx checked when the runs are read, before the build compiles anything: its tree
// (parsed with Sätteri, the parser Astro's MDX uses) against the rules of notes-guard.ts, then
// every component's props against the run (notes-values.ts: an engine, phase, metric or
// objective it does not have). A note that fails is reported like an invalid run: the build stops
// naming the file, the line and the problem, or, with --skip-invalid, builds the run without its
// notes. The guard runs again inside the compile (notes-render.ts), so nothing reaches evaluation
// unchecked; the executive page checks once more with the run's charts (<Chart name>).
import { mdxToMdast } from 'satteri';
import type { Run } from '../../../collector/store/schema/index.ts';
import { NOTES_COMPONENTS, notesProblems } from './notes-guard.ts';
import { notesPropsProblem } from './notes-values.ts';

/** What the props are checked against: the run, and its charts' ids once derived (null before). */
export interface NotesRun {
  run: Pick<Run, 'engines' | 'slo'>;
  charts: readonly { id: string }[] | null;
}

interface Element {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Element[];
  position?: { start: { line: number; column: number } };
}

/** Every component whose props name something the run does not have, with its line and column. */
function propsProblems(tree: Element, against: NotesRun, file: string): string[] {
  const found: string[] = [];
  const walk = (node: Element): void => {
    const name = node.name ?? '';
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && NOTES_COMPONENTS[name] !== undefined) {
      const props = Object.fromEntries((node.attributes ?? []).map((a) => [a.name ?? '', String(a.value)]));
      const at = `${file}:${node.position?.start.line ?? 0}:${node.position?.start.column ?? 0}: <${name}>`;
      const problem = notesPropsProblem(against.run, against.charts, name, props, at);
      if (problem !== null) found.push(problem);
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(tree);
  return found;
}

/**
 * Why a notes file (its source, and its path for messages) cannot be used, one problem a line;
 * null when it can. Given the run, the components' props are checked against it too.
 */
export function notesSourceProblem(source: string, file: string, against?: NotesRun): string | null {
  let tree: unknown;
  try {
    tree = mdxToMdast(source, { position: true });
  } catch (error) {
    return `${file}: not valid MDX: ${error instanceof Error ? error.message : String(error)}`;
  }
  const problems = notesProblems(tree as Parameters<typeof notesProblems>[0]);
  if (problems.length > 0) {
    return `${file}: notes hold prose and <Metric>, <Delta>, <Verdict>, <Chart> only:\n${problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.problem}`).join('\n')}`;
  }
  if (against === undefined) return null;
  const wrong = propsProblems(tree as Element, against, file);
  if (wrong.length === 0) return null;
  return (
    `${file}: ${wrong.length === 1 ? 'a component names' : `${wrong.length} components name`} what this run does not have:\n` +
    wrong.map((w) => `  ${w}`).join('\n') +
    '\n  hint: change each prop to one of the names listed after it, or remove the component'
  );
}
