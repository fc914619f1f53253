// A run's notes.mdx checked when the runs are read, before the build compiles anything: its tree
// (parsed with Sätteri, the parser Astro's MDX uses) against the rules of notes-guard.ts. A note
// that breaks one is reported like an invalid run: the build stops naming the file, the line and
// the rule, or, with --skip-invalid, builds the run without its notes. The same rules run again
// inside the compile (notes-render.ts), so nothing reaches evaluation unchecked.
import { mdxToMdast } from 'satteri';
import { notesProblems } from './notes-guard.ts';

/** Why a notes file (its source, and its path for messages) cannot be used, one problem a line; null when it can. */
export function notesSourceProblem(source: string, file: string): string | null {
  let tree: unknown;
  try {
    tree = mdxToMdast(source, { position: true });
  } catch (error) {
    return `${file}: not valid MDX: ${error instanceof Error ? error.message : String(error)}`;
  }
  const problems = notesProblems(tree as Parameters<typeof notesProblems>[0]);
  if (problems.length === 0) return null;
  return `${file}: notes hold prose and <Metric>, <Delta>, <Verdict>, <Chart> only:\n${problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.problem}`).join('\n')}`;
}
