// Types for parse-prometheus-text-format 1.x, which ships none. Values stay strings as printed.
declare module 'parse-prometheus-text-format' {
  interface PrometheusSampleEntry {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** Histograms: cumulative count by `le`. */
    buckets?: Record<string, string>;
    /** Summaries: value by `quantile`. */
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  interface PrometheusFamily {
    name: string;
    help: string;
    /** Upper case: COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED. */
    type: string;
    metrics: PrometheusSampleEntry[];
  }
  /** Throws InvalidLineError on a line it cannot read. */
  function parsePrometheusTextFormat(text: string): PrometheusFamily[];
  export = parsePrometheusTextFormat;
}
