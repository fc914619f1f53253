// `servebench diff BASE HEAD`: how HEAD's numbers moved against BASE's, engine × phase × metric,
// with intervals and verdicts (collector/compare/). Refuses runs that measured different things
// unless --force; --fail-on turns a regression into exit 8.
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { ServebenchError } from '../errors.ts';
import { environmentDiff, worstSeverity, type EnvironmentRow } from '../compare/comparability.ts';
import { diffJson } from '../compare/diff-json.ts';
import { diffMarkdown } from '../compare/diff-markdown.ts';
import { diffRuns, goodputObjectives, regressions, type RunDiff } from '../compare/diff-runs.ts';
import { diffText } from '../compare/diff-text.ts';
import { metricLabel } from '../compare/diff-format.ts';
import { readSamples } from '../compare/phase-samples.ts';
import { resolveRun } from '../compare/resolve-run.ts';
import { clean } from '../text-table.ts';
import type { CommandIO, CommandModule } from './command.ts';

interface DiffFlags {
  format: 'text' | 'md' | 'json';
  threshold: string;
  failOn?: 'regression' | 'likely-regression';
  force?: boolean;
  runs: string;
  siteUrl?: string;
}

export const diff: CommandModule = {
  define(program: Command, io: CommandIO) {
    program
      .command('diff')
      .summary('compare two runs: Δ per engine, phase and metric with intervals and verdicts')
      .description(
        'Compares HEAD with BASE per engine × phase: TTFT, ITL, TPOT and E2E p50/p90/p99, output tok/s per request, goodput (when a run has an SLO) ' +
          'and the error rate, each with Δ, its 95 % bootstrap interval, a Mann–Whitney p adjusted across the diff, Cliff\'s δ, the Hodges–Lehmann shift ' +
          'and a verdict against τ (docs/statistics.md, "Comparing two runs"). Every output starts with what differs between the runs; runs of ' +
          'different models, scenarios, load points or simulated against real are refused (exit 9) unless --force. ' +
          'BASE and HEAD are run ids under --runs, run directories, `latest:<scenario name>` (the newest run of that name; for BASE, the newest before HEAD) ' +
          'or `latest` (for BASE: the newest earlier run comparable with HEAD; for HEAD: the newest run).',
      )
      .argument('<base>', 'the run compared against: id, directory, latest:<name> or latest')
      .argument('<head>', 'the run compared: id, directory, latest:<name> or latest')
      .addOption(new Option('--format <FORMAT>', 'text (every row), md (a PR comment: changed rows only, under 60,000 characters) or json').choices(['text', 'md', 'json']).default('text'))
      .option('--threshold <PERCENT>', 'τ: changes within ±τ are equivalent, e.g. 5% (the error rate is held to ±1 percentage point)', '5%')
      .addOption(new Option('--fail-on <VERDICT>', 'exit 8 when any metric is a regression (or, with likely-regression, a likely one too)').choices(['regression', 'likely-regression']))
      .option('--force', 'compare runs that measured different things anyway, with a warning at the top')
      .option('--runs <DIR>', 'directory that holds runs', 'runs')
      .option('--site-url <URL>', 'root URL of the published site: the markdown links its diff page /diff/<base>...<head>/ (the site builds it for each run against its previous comparable run)')
      .action(async (baseSpec: string, headSpec: string, flags: DiffFlags) => diffAction(baseSpec, headSpec, flags, io));
  },
};

async function diffAction(baseSpec: string, headSpec: string, flags: DiffFlags, io: CommandIO): Promise<void> {
  const threshold = parseThreshold(flags.threshold);
  const runsDir = resolve(io.cwd, flags.runs);
  const head = await resolveRun(headSpec, runsDir, io.cwd);
  const base = await resolveRun(baseSpec, runsDir, io.cwd, head);
  // Checked before the raw files are read: a refusal should not wait for statistics it discards.
  const environment = environmentDiff(base.run, head.run);
  if (worstSeverity(environment) === 'refuse' && !flags.force) throw notComparable(base.run.id, head.run.id, environment);
  const objectives = goodputObjectives(base.run, head.run);
  const [baseSamples, headSamples] = await Promise.all([readSamples(base.dir, objectives), readSamples(head.dir, objectives)]);
  const result = diffRuns({ run: base.run, samples: baseSamples }, { run: head.run, samples: headSamples }, { threshold });
  io.stdout(render(result, flags));
  if (flags.failOn) {
    const worse = regressions(result, flags.failOn);
    if (worse.length > 0) {
      const listed = worse.slice(0, 5).map((r) => `${clean(r.engine)} ${clean(r.phase)} ${metricLabel(r)} (${r.verdict})`);
      throw new ServebenchError(
        'REGRESSION',
        `head ${clean(result.head.id)} is worse than base ${clean(result.base.id)} on ${worse.length} metric${worse.length === 1 ? '' : 's'}: ${listed.join(', ')}${worse.length > 5 ? ', …' : ''}.`,
        'the diff above shows each with its interval; rerun both sides if the runs may have been disturbed, or raise --threshold if the change is acceptable.',
      );
    }
  }
}

function render(result: RunDiff, flags: DiffFlags): string {
  if (flags.format === 'json') return diffJson(result);
  if (flags.format === 'md') return diffMarkdown(result, flags.siteUrl ? { siteUrl: flags.siteUrl } : {});
  return diffText(result);
}

function notComparable(baseId: string, headId: string, environment: readonly EnvironmentRow[]): ServebenchError {
  const refused = environment.filter((r) => r.severity === 'refuse');
  const lines = refused.slice(0, 10).map((r) => {
    const where = [r.engine, r.phase].filter((x) => x !== null).map((x) => clean(x!)).join(' ');
    return `  ${clean(r.label)}${where ? ` (${where})` : ''}: ${clean(r.base ?? '(none)')} → ${clean(r.head ?? '(none)')}`;
  });
  if (refused.length > 10) lines.push(`  … and ${refused.length - 10} more`);
  return new ServebenchError(
    'NOT_COMPARABLE',
    `base ${clean(baseId)} and head ${clean(headId)} measured different things, so their deltas would mean nothing:\n${lines.join('\n')}`,
    'compare runs of the same scenario, engines, models and load points (`latest` as BASE finds the newest such run), or pass --force to see the diff anyway.',
  );
}

/** "5%", "5" or "2.5 %": τ in percent, as a fraction. */
export function parseThreshold(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const value = match ? Number(match[1]) / 100 : Number.NaN;
  if (!(value >= 0 && value < 10)) {
    throw new ServebenchError('BAD_FLAG', `--threshold "${clean(text)}" is not a percentage.`, 'give τ as a percentage, e.g. --threshold 5% (changes within ±5 % count as equivalent).');
  }
  return value;
}
