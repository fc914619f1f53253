// Service-level objectives as users type them, in the form k6 thresholds and vLLM's --goodput
// made familiar: `ttft:p95<200ms`, `e2e:p95<2s`, `error_rate<1%`, `requests_per_s>=2`. Parsed once
// at the boundary into Objective (store/schema), whose normalised text names it everywhere after.
import type { Objective, ObjectiveMetric } from '../../store/schema/index.ts';

type Op = Objective['op'];
type Stat = NonNullable<Objective['stat']>;

const LATENCIES: readonly ObjectiveMetric[] = ['ttft', 'tpot', 'itl', 'e2e'];
const RATES: readonly ObjectiveMetric[] = ['output_tokens_per_s', 'requests_per_s'];
const METRICS: readonly ObjectiveMetric[] = [...LATENCIES, 'error_rate', ...RATES];
const STATS: readonly Stat[] = ['p50', 'p90', 'p95', 'p99', 'mean'];
/**
 * The latencies each request has one of (DistServe's goodput holds every request to them). ITL is
 * many gaps per request, so it is judged over the phase only.
 */
const PER_REQUEST: ReadonlySet<ObjectiveMetric> = new Set(['ttft', 'tpot', 'e2e']);

/** One example of each form, shown beside every parse error. */
export const OBJECTIVE_FORMS = ['ttft:p95<200ms', 'e2e:p95<2s', 'itl:p99<50ms', 'tpot:p50<=30ms', 'error_rate<1%', 'output_tokens_per_s>50', 'requests_per_s>=2'] as const;

export const OBJECTIVE_SYNTAX =
  `METRIC:STAT OP VALUE for a latency (${LATENCIES.join(', ')}; ${STATS.join(', ')}; VALUE in ms or s), ` +
  'error_rate OP PERCENT% (or a fraction), output_tokens_per_s or requests_per_s OP NUMBER (per second over the phase); ' +
  `OP is <, <=, > or >=; e.g. ${OBJECTIVE_FORMS.join(' ')}`;

const FORM = /^([a-z_0-9]+)(?::([a-z0-9]+))?(<=|>=|<|>)((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%/]*)$/;

/** The objective `text` states, or a sentence saying what is wrong with it (without the valid forms). */
export function parseObjective(text: string): Objective | string {
  const compact = text.replace(/\s+/g, '').toLowerCase();
  const match = FORM.exec(compact);
  if (!match) return 'expected METRIC:STAT, a comparison (<, <=, >, >=) and a number';
  const [, metricText, statText, opText, numberText, unit] = match as unknown as [string, string, string | undefined, Op, string, string];
  const metric = METRICS.find((m) => m === metricText);
  if (metric === undefined) return `unknown metric "${metricText}": expected ${METRICS.join(', ')}`;
  const number = Number(numberText);
  if (!Number.isFinite(number)) return `"${numberText}" is not a finite number`;
  if (LATENCIES.includes(metric)) {
    const stat = STATS.find((s) => s === statText);
    if (statText === undefined) return `${metric} needs a statistic (${STATS.join(', ')}), e.g. ${metric}:p95${opText}${numberText}${unit || 'ms'}`;
    if (stat === undefined) return `unknown statistic "${statText}": expected ${STATS.join(', ')}`;
    if (unit !== 'ms' && unit !== 's') return `${metric} needs a unit, ms or s, e.g. ${metric}:${stat}${opText}${numberText}ms`;
    return latencyObjective(metric, stat, opText, unit === 's' ? clean(number * 1000) : number);
  }
  if (statText !== undefined) return `${metric} takes no statistic: it is one number per phase, e.g. ${metric}${opText}${numberText}${unit}`;
  if (metric === 'error_rate') {
    if (unit !== '' && unit !== '%') return `error_rate is a percentage (1%) or a fraction (0.01), not "${unit}"`;
    const fraction = unit === '%' ? clean(number / 100) : number;
    if (fraction > 1) return `error_rate ${numberText}${unit} is over 100%: a fraction is between 0 and 1, e.g. error_rate<0.01 or error_rate<1%`;
    return { text: `error_rate${opText}${clean(fraction * 100)}%`, metric, stat: null, op: opText, value: fraction, perRequest: false };
  }
  if (unit !== '' && unit !== '/s') return `${metric} is a number per second, without a unit, e.g. ${metric}${opText}${numberText}`;
  return { text: `${metric}${opText}${number}`, metric, stat: null, op: opText, value: number, perRequest: false };
}

/** A latency objective in its normalised form: ms, or whole seconds as s. */
export function latencyObjective(metric: ObjectiveMetric, stat: Stat, op: Op, ms: number): Objective {
  const value = ms >= 1000 && Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${ms}ms`;
  return { text: `${metric}:${stat}${op}${value}`, metric, stat, op, value: ms, perRequest: PER_REQUEST.has(metric) };
}

/**
 * Every objective of a list, or every problem with it, each naming the text and `where` it came
 * from. The same objective given twice counts once.
 */
export function parseObjectives(texts: readonly string[], where: (text: string) => string): { objectives: Objective[]; problems: string[] } {
  const objectives = new Map<string, Objective>();
  const problems: string[] = [];
  for (const text of texts) {
    const parsed = parseObjective(text);
    if (typeof parsed === 'string') problems.push(`${where(text)} is not an objective: ${parsed}. Valid forms: ${OBJECTIVE_FORMS.join(' ')}`);
    else if (!objectives.has(parsed.text)) objectives.set(parsed.text, parsed);
  }
  return { objectives: [...objectives.values()], problems };
}

/**
 * The object form servebench v3 scenarios used (`slo: { ttftP95Ms: 100, e2eP95Ms: 1000 }`), as
 * objectives: v3 counted a p95 equal to its target as meeting it, hence `<=`.
 */
export function objectivesFromTargets(targets: { ttftP95Ms?: number; e2eP95Ms?: number }): Objective[] {
  return [
    ...(targets.ttftP95Ms !== undefined ? [latencyObjective('ttft', 'p95', '<=', targets.ttftP95Ms)] : []),
    ...(targets.e2eP95Ms !== undefined ? [latencyObjective('e2e', 'p95', '<=', targets.e2eP95Ms)] : []),
  ];
}

/** Drops the binary noise of unit conversions (1.1 s is 1100 ms, not 1100.0000000000002). */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}
