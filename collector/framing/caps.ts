// Caps on what servebench holds of one answer before it is framed. An engine controls how long a
// line or a body is; without a cap a line with no end grows in memory until the process dies.
// Text is counted in characters (UTF-16 units), which equals bytes for the ASCII JSON engines send.

/**
 * One pending SSE event or NDJSON line. A streamed event is one token's JSON (well under 1 KiB,
 * a few KiB with logprobs or a final `timings`/`details` object), so 1 MiB is a thousand times
 * anything real, and small enough that hundreds of concurrent streams stay far from any limit.
 */
export const MAX_PENDING_LINE_CHARS = 1024 * 1024;

/**
 * One whole non-streamed answer. A 128k-token answer is about 0.5 MiB of text; with logprobs or
 * tool-call arguments a few MiB. 16 MiB leaves ample room while one stuck body cannot exhaust memory.
 */
export const MAX_BUFFERED_BODY_CHARS = 16 * 1024 * 1024;

/** The engine sent more than a cap allows: the request is cut off there and fails with `too_large`. */
export class TooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooLargeError';
  }
}

/** A size for messages: `1 MiB`, `64 KiB`, `512 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
