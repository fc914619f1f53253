// What the notes' components need from the page: the run, its charts and where the notes came
// from (for error messages). The executive page puts it in Astro.locals before rendering the
// notes, since an MDX component gets only the props the note gives it.
import type { Run } from '../../../../collector/store/schema/index.ts';
import type { SiteChart } from '../../../lib/report/site-charts.ts';

export interface NotesContext {
  run: Run;
  charts: SiteChart[];
  /** The notes file, as named in messages. */
  file: string;
}

const KEY = 'servebenchNotes';

export function setNotesContext(locals: object, context: NotesContext): void {
  (locals as Record<string, unknown>)[KEY] = context;
}

export function notesContext(locals: object, component: string): NotesContext {
  const context = (locals as Record<string, unknown>)[KEY] as NotesContext | undefined;
  if (context === undefined) throw new Error(`<${component}> is for a run's notes.mdx, rendered on its executive page`);
  return context;
}
