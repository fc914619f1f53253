// Engine-sent text (labels, model names, versions) made inert for GitHub-flavoured markdown, as
// a PR comment shows it: one line, no markup, no HTML, no @mention or autolink it could trigger.
import { terminalSafe } from '../output/terminal-text.ts';

/** Text to show literally in markdown (table cells included). */
export function markdownText(text: string): string {
  return (
    terminalSafe(text)
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Marks that open or close markup mid-line; a backslash makes each literal. (Text never
      // starts a line here, so -, + and 1. cannot open a list.)
      .replace(/[\\`*_{}[\]()#|~]/g, '\\$&')
      // A zero-width space keeps @team from notifying anyone and a URL from becoming a link.
      .replace(/@/g, '@&#8203;')
      .replace(/:\/\//g, ':&#8203;//')
      .replace(/www\./gi, (m) => `${m.slice(0, 3)}&#8203;.`)
  );
}

