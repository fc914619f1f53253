// The metric definitions, written into every run so a number can always be traced to its meaning.
// Bump `version` whenever a definition changes; docs/metrics.md explains each one at length.
import type { Definitions } from '../store/schema/index.ts';

export const DEFINITIONS: Definitions = {
  version: 1,
  clock:
    'Monotonic clock (performance.now), stamped in the HTTP parser callback when a response chunk arrives, before it is decoded. Events parsed from one network chunk share its arrival time.',
  percentiles: 'Linear interpolation between closest ranks (numpy default, Hyndman-Fan type 7). stdev is the sample standard deviation (n-1).',
  ttft: 'Time to first token: arrival of the first event carrying non-empty content, reasoning or tool-call text, minus send time. Role-only, empty and finish-only chunks never count.',
  e2e: 'End-to-end latency: end of stream (`[DONE]`, NDJSON `done:true`, TGI final `details` event, or connection close when no marker came) minus send time.',
  outputTokens:
    'N = engine-reported usage (OpenAI usage chunk, TGI details.generated_tokens, Ollama eval_count, llama.cpp usage/timings), else one per TGI token event, else the number of text-bearing events. Each request records which source was used. Engines count the EOS token.',
  tpot: 'Time per output token: (last text-bearing event - first text-bearing event) / (N - 1), only for N >= 2.',
  itl: 'Inter-token latency samples: gaps between consecutive text-bearing events, pooled over requests. A chunk carrying 3 tokens is one gap, not three; each event records the tokens it carried when known.',
  throughput:
    'Output tokens/s = sum of N over successful non-warm-up requests / measurement window (first send to last end of the phase). Requests/s likewise counts successful requests.',
  success: 'A request succeeds when the stream carried a completion marker (finish reason, done:true, TGI details) and no error event; anything else is recorded with an error kind.',
};
