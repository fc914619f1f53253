// The catalogue of run-level failures. Codes are permanent: scripts match on them.
// Request-level failures are never thrown: they are data on the request record.

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  engineUnreachable: 3,
  invalidRun: 4,
  requestsFailed: 5,
  /** The run could not be written (disk full, read-only, I/O error): what was counted is what is on disk. */
  writeFailed: 6,
  /** --fail-on-slo: an objective was missed (inconclusive verdicts do not fail). The run is saved. */
  sloMissed: 7,
  /** `diff --fail-on regression` (or likely-regression): head is worse than base on some metric. Both runs are untouched. */
  regression: 8,
  /** `diff`: the two runs measured different things (model, scenario, load point, simulated vs real) and --force was not given. */
  notComparable: 9,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const ERROR_CODES = {
  BAD_FLAG: EXIT.usage,
  BAD_CONFIG: EXIT.usage,
  CONFIG_NOT_FOUND: EXIT.usage,
  UNKNOWN_ENGINE: EXIT.usage,
  SECRET_NOT_FOUND: EXIT.usage,
  PROMPTS_INVALID: EXIT.usage,
  /** A file or address the user named cannot be used (a missing --ca-file, a --host nothing can bind). */
  BAD_ENVIRONMENT: EXIT.usage,
  ENGINE_UNREACHABLE: EXIT.engineUnreachable,
  RUN_NOT_FOUND: EXIT.invalidRun,
  RUN_INVALID: EXIT.invalidRun,
  RUN_FUTURE_VERSION: EXIT.invalidRun,
  REQUESTS_FAILED: EXIT.requestsFailed,
  WRITE_FAILED: EXIT.writeFailed,
  SLO_MISSED: EXIT.sloMissed,
  REGRESSION: EXIT.regression,
  NOT_COMPARABLE: EXIT.notComparable,
  INTERRUPTED: EXIT.interrupted,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A failure the user can cause or fix: what happened and why (message), what to do (hint). */
export class ServebenchError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: ExitCode;
  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServebenchError';
    this.code = code;
    this.hint = hint;
    this.exitCode = ERROR_CODES[code];
  }
}

export function isServebenchError(e: unknown): e is ServebenchError {
  return e instanceof ServebenchError;
}
