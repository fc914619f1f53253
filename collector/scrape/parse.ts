// Prometheus text exposition (format 0.0.4) → a flat list of samples, on top of
// parse-prometheus-text-format, which reads the sample lines (names with `:`, labels in any order,
// escapes, blank lines). Its gaps, and what this file does about them:
// - A histogram or summary family with labels besides `le`/`quantile` (every vLLM one, TGI's
//   `method` ones) comes back with its `_sum`/`_count` dropped and all label sets' buckets merged
//   into one map. So the library never sees TYPE lines: every family is untyped to it, each sample
//   line comes back whole, and the TYPEs are read here.
// - An empty `# HELP name` line throws. HELP is not needed, so comment lines are not passed on.
// - The last line is lost when the text does not end in a newline: one is added.
// - Values stay strings (`+Inf`, `5.247186944e+010`, `8.0`): converted here; a non-number, or a
//   sample name that is not a metric name (an HTML page on /metrics), rejects the whole text,
//   as Prometheus rejects a scrape with an invalid line.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name: `x_bucket`, `x_sum`, `x_total`, as printed. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Family name → its TYPE line (lower case; types other than the four → 'untyped'). */
  types: Map<string, MetricType>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const TYPE_LINE = /^#\s*TYPE\s+(\S+)\s+(\S+)\s*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses one exposition. Throws an Error saying which line or value was unreadable. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, MetricType>();
  const sampleLines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      const match = TYPE_LINE.exec(line);
      if (match) {
        const type = match[2]!.toLowerCase();
        types.set(match[1]!, KNOWN_TYPES.has(type) ? (type as MetricType) : 'untyped');
      }
    } else if (line !== '') {
      sampleLines.push(line);
    }
  }
  sampleLines.push('');

  let families: ReturnType<typeof parsePrometheusTextFormat>;
  try {
    families = parsePrometheusTextFormat(sampleLines.join('\n'));
  } catch (error) {
    throw new Error(`unparsable metrics: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  const samples: Sample[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`unparsable metrics: "${family.name.slice(0, 80)}" is not a metric name`);
    for (const entry of family.metrics) {
      const value = parseValue(entry.value);
      if (value === undefined) {
        throw new Error(`unparsable metrics: ${family.name} has value "${String(entry.value).slice(0, 40)}"`);
      }
      samples.push({ name: family.name, labels: entry.labels ?? {}, value });
    }
  }
  return { samples, types };
}

/** Go/Python float spellings as exporters print them; undefined for anything else. */
export function parseValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  return FLOAT.test(text) ? Number(text) : undefined;
}

const SUFFIXES: readonly [string, readonly MetricType[]][] = [
  ['_bucket', ['histogram']],
  ['_sum', ['histogram', 'summary']],
  ['_count', ['histogram', 'summary']],
  // OpenMetrics-style counters declare `x` and print `x_total`/`x_created`.
  ['_total', ['counter']],
  ['_created', ['counter', 'histogram', 'summary']],
];

/** The family a sample belongs to and that family's TYPE ('untyped' when nothing declares it). */
export function familyOf(sampleName: string, types: ReadonlyMap<string, MetricType>): { family: string; type: MetricType } {
  const own = types.get(sampleName);
  if (own !== undefined) return { family: sampleName, type: own };
  for (const [suffix, allowed] of SUFFIXES) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = sampleName.slice(0, -suffix.length);
    const type = types.get(family);
    if (type !== undefined && allowed.includes(type)) return { family, type };
  }
  return { family: sampleName, type: 'untyped' };
}

/** Samples grouped by sample name, in exposition order. */
export function groupByName(samples: readonly Sample[]): Map<string, Sample[]> {
  const byName = new Map<string, Sample[]>();
  for (const sample of samples) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  return byName;
}

/**
 * A label set as exposition text, names sorted so any order gives one key: `{a="1",b="2"}`,
 * '' when empty. `keep`, when given, picks the label names to include.
 */
export function labelKey(labels: Readonly<Record<string, string>>, keep?: (name: string) => boolean): string {
  const names = Object.keys(labels)
    .filter((name) => keep === undefined || keep(name))
    .sort();
  if (names.length === 0) return '';
  const parts = names.map((name) => `${name}="${escapeLabelValue(labels[name]!)}"`);
  return `{${parts.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
