// The diff as JSON for scripts and the site: every row, the environment and the options, under a
// format name and version so a reader can tell what it holds. Values are as the runs hold them
// (unescaped): JSON.stringify makes them safe to embed as JSON, not as HTML.
import type { RunDiff } from './diff-runs.ts';

export const DIFF_FORMAT = { name: 'servebench-diff', version: 1 } as const;

export function diffJson(diff: RunDiff): string {
  return `${JSON.stringify({ format: DIFF_FORMAT.name, formatVersion: DIFF_FORMAT.version, ...diff }, null, 2)}\n`;
}
