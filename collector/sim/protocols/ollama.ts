// Ollama's native API as its Go server writes it: NDJSON lines of json.Marshal output (HTML
// escaping included), `created_at` in RFC 3339 with nanoseconds, and a last `done:true` line with
// counts and nanosecond durations. Field order follows api/types.go (ChatResponse,
// GenerateResponse, Metrics); zero metrics are omitted (omitempty).
import { goJson } from './framing.ts';

/** Go's time.RFC3339Nano in UTC: nanosecond fraction with trailing zeros trimmed (none if zero). */
export function rfc3339Nano(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const base = new Date(wholeMs).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  const nanos = Math.round((epochMs - Math.floor(epochMs / 1000) * 1000) * 1e6);
  const fraction = String(Math.min(nanos, 999_999_999)).padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? `${base}Z` : `${base}.${fraction}Z`;
}

export interface OllamaMetrics {
  doneReason: string;
  totalDurationNs: number;
  loadDurationNs: number;
  promptEvalCount: number;
  promptEvalDurationNs: number;
  evalCount: number;
  evalDurationNs: number;
}

/** The Metrics block, omitempty: a zero is left out. */
function metricsFields(m: OllamaMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (key: string, value: number) => {
    if (value !== 0) out[key] = Math.trunc(value);
  };
  put('total_duration', m.totalDurationNs);
  put('load_duration', m.loadDurationNs);
  put('prompt_eval_count', m.promptEvalCount);
  put('prompt_eval_duration', m.promptEvalDurationNs);
  put('eval_count', m.evalCount);
  put('eval_duration', m.evalDurationNs);
  return out;
}

export function ollamaChatChunk(model: string, createdAt: string, text: string): string {
  return goJson({ model, created_at: createdAt, message: { role: 'assistant', content: text }, done: false });
}

/** The `done:true` line (content '' in a stream) or the whole non-streaming answer (the full text). */
export function ollamaChatFinal(model: string, createdAt: string, text: string, m: OllamaMetrics): string {
  return goJson({
    model,
    created_at: createdAt,
    message: { role: 'assistant', content: text },
    done: true,
    done_reason: m.doneReason,
    ...metricsFields(m),
  });
}

export function ollamaGenerateChunk(model: string, createdAt: string, text: string): string {
  return goJson({ model, created_at: createdAt, response: text, done: false });
}

/** Generate's last line adds the (deprecated) `context` token ids before the metrics. */
export function ollamaGenerateFinal(model: string, createdAt: string, text: string, context: number[], m: OllamaMetrics): string {
  return goJson({
    model,
    created_at: createdAt,
    response: text,
    done: true,
    done_reason: m.doneReason,
    ...(context.length > 0 ? { context } : {}),
    ...metricsFields(m),
  });
}

/** An empty prompt only loads the model: one JSON answer with done_reason "load", streamed or not. */
export function ollamaLoadAnswer(api: 'chat' | 'generate', model: string, createdAt: string): string {
  return api === 'chat'
    ? goJson({ model, created_at: createdAt, message: { role: 'assistant', content: '' }, done: true, done_reason: 'load' })
    : goJson({ model, created_at: createdAt, response: '', done: true, done_reason: 'load' });
}
