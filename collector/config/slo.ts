// The run's objectives: `--slo` (repeatable) replaces the scenario's `slo:` list; there is no
// default, so a run that sets none says "no SLO set" everywhere.
import { objectivesFromTargets, parseObjectives } from '../metrics/slo/parse.ts';
import type { Slo } from '../store/schema/index.ts';
import type { ConfigFile } from './schema.ts';

/** `--slo none` clears the scenario's objectives (a preset's, say) from the command line. */
export const NO_SLO = 'none';

export function resolveSlo(file: ConfigFile['slo'], flags: { slo?: string[]; preset?: string }, problems: string[]): Slo | null {
  const typed = flags.slo ?? [];
  if (typed.length > 0) {
    if (typed.some((text) => text.trim().toLowerCase() === NO_SLO)) {
      if (typed.length > 1) problems.push(`--slo ${NO_SLO} clears every objective: give it alone`);
      return null;
    }
    const { objectives, problems: bad } = parseObjectives(typed, (text) => `--slo "${text}"`);
    problems.push(...bad);
    return objectives.length > 0 ? { objectives, source: 'command line' } : null;
  }
  if (file === undefined) return null;
  const source = flags.preset !== undefined ? `preset ${flags.preset}` : 'scenario';
  // The file was validated against the schema, which parses each objective: none fails here.
  const objectives = Array.isArray(file) ? parseObjectives(file, (text) => `slo "${text}"`).objectives : objectivesFromTargets(file);
  return objectives.length > 0 ? { objectives, source } : null;
}
