// Contracts between the simulator's parts: the latency model (model/), the protocol servers
// (protocols/, server.ts), fault injection (faults.ts) and the ground-truth trace (trace.ts).

export const SIM_KINDS = ['vllm', 'tgi', 'ollama', 'llamacpp'] as const;
export type SimKind = (typeof SIM_KINDS)[number];

/** Monotonic time in ms (performance.now() in real time; a number line in virtual time). */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, delayMs: number): { cancel(): void };
}

/** Seeded uniform random numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/** A named latency character: how a continuous-batching engine spends time. */
export interface LatencyProfile {
  name: string;
  description: string;
  /** Sequences decoded together in one engine step (vLLM max_num_seqs, Ollama/llama.cpp parallel slots). */
  maxBatch: number;
  /** KV cache budget in tokens; a running sequence reserves prompt + planned output tokens. */
  kvCapacityTokens: number;
  /** Prefill cost per prompt token, ms. */
  prefillMsPerToken: number;
  /** Chunked prefill: at most this many prompt tokens are processed per step, so long prompts delay others. */
  prefillChunkTokens: number;
  /** Fixed cost of one decode step, ms. */
  decodeStepBaseMs: number;
  /** Extra cost per sequence in the batch, ms. */
  decodeStepPerSeqMs: number;
  /** Relative standard deviation of a step's duration (seeded), e.g. 0.03. */
  jitter: number;
  /** Waiting requests beyond this are rejected (TGI 429 overloaded, Ollama 503 busy); undefined: never. */
  maxQueue?: number;
}

/** One generation as the scheduler sees it. Its text is planned before submission. */
export interface SimJob {
  id: string;
  promptTokens: number;
  /** Tokens the answer will have, EOS included (decided by the text planner). */
  outputTokens: number;
  /** Why the answer ends, as planned: EOS/stop string, or the max_tokens cap. */
  finishReason?: 'stop' | 'length';
  /**
   * At the end of the engine step that produced token `index` (0-based). Token 0 ends prefill.
   * `at` is the step's planned end; in real time the call runs a little after it.
   */
  onToken: (index: number, at: number) => void;
  /** Once, when the job leaves the engine. */
  onDone: (outcome: 'finished' | 'cancelled', at: number) => void;
}

export interface SchedulerSnapshot {
  running: number;
  waiting: number;
  kvUsedTokens: number;
  kvCapacityTokens: number;
  maxBatch: number;
}

export interface JobTimings {
  queueMs: number;
  prefillMs: number;
  decodeMs: number;
  e2eMs: number;
}

/** What the metrics exporters listen to. All methods optional. */
export interface SchedulerObserver {
  onQueued?(job: SimJob, at: number): void;
  onAdmitted?(job: SimJob, queueMs: number, at: number): void;
  onToken?(job: SimJob, index: number, at: number): void;
  onFinished?(job: SimJob, timings: JobTimings, at: number): void;
  onCancelled?(job: SimJob, at: number): void;
  onStep?(step: { batchSize: number; prefillTokens: number; decodeTokens: number; durationMs: number; at: number }): void;
}

export interface Scheduler {
  submit(job: SimJob): void;
  cancel(id: string): void;
  snapshot(): SchedulerSnapshot;
  close(): void;
}

/** What a fault plan can do to one request. At most one pre-header outcome and one mid-stream fault. */
export interface RequestFaults {
  /** Delay before response headers are sent, ms. */
  headerDelayMs?: number;
  /** Instead of an answer: destroy the socket, or answer with an HTTP error. */
  beforeHeaders?: { kind: 'reset' } | { kind: 'http'; status: 500 | 503 | 429; retryAfterS?: number };
  /** During the stream, when token `atToken` is due (clamped to the answer length). */
  midStream?: { atToken: number; kind: 'cut' | 'stall' | 'malformed' | 'error-event'; stallMs?: number };
}

export interface FaultInjector {
  /** Called once per generation request, in arrival order (so a seeded plan is reproducible). */
  plan(request: { kind: SimKind; queueDepth: number; outputTokens: number }): RequestFaults;
}

/** Ground truth for one generation request, written when it ends. Times are epoch ms with µs precision. */
export interface TraceEntry {
  /** The client's x-request-id header, else one the simulator made up. */
  requestId: string;
  engine: string;
  path: string;
  arrivedAtMs: number;
  headersAtMs: number | null;
  /** When each body write was handed to the socket, in order. */
  chunksAtMs: number[];
  outcome: string;
}

export interface TraceSink {
  record(entry: TraceEntry): void;
  close(): Promise<void>;
}
