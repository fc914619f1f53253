// SSE framing (the WHATWG event-stream grammar): text pieces in, complete messages out.
// Hand-written rather than eventsource-parser because it runs once per streamed chunk: with the
// library, framing cost the collector more than half as much again as the JSON.parse of each chunk
// (a callback per event, and the partial-line bookkeeping it needed around it). The library stays
// as the oracle of a differential property test (test/property/sse-framing.test.ts).
import { formatSize, MAX_PENDING_LINE_CHARS, TooLargeError } from './caps.ts';

export interface SseMessage {
  /** The message's data, multi-line data joined with '\n'. */
  data: string;
  /**
   * Set when the value came from a non-standard `error:` field instead of `data:`
   * (mid-2025 llama.cpp wrote its mid-stream errors that way). It is an error message.
   */
  field?: 'error';
}

export interface SseFramer {
  /**
   * Feed the next decoded text piece; returns the messages it completed, in order. Throws
   * TooLargeError once more than the cap arrived without completing a message.
   */
  push(text: string): SseMessage[];
  /** The stream ended: returns a last message that had no closing blank line. */
  end(): SseMessage[];
}

const NO_MESSAGES: SseMessage[] = [];

/** `maxPendingChars`: text held while no message completes (default MAX_PENDING_LINE_CHARS). */
export function createSseFramer(maxPendingChars = MAX_PENDING_LINE_CHARS): SseFramer {
  /** The start of a line whose end has not arrived. */
  let partial = '';
  /** The data lines of the event being built, joined; null while it has none. */
  let data: string | null = null;
  /** Characters taken since a message was last completed: comments and data lines count too. */
  let sinceMessage = 0;
  /** The previous piece ended in '\r': a '\n' opening this one belongs to that line end. */
  let afterCr = false;
  let atStart = true;
  let out: SseMessage[] = NO_MESSAGES;

  const emit = (message: SseMessage): void => {
    if (out === NO_MESSAGES) out = [];
    out.push(message);
    sinceMessage = 0;
  };

  const line = (text: string): void => {
    if (text === '') {
      if (data !== null) emit({ data });
      data = null;
      return;
    }
    if (text.charCodeAt(0) === 58 /* ':' comment, e.g. keep-alives */) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = '';
    if (colon !== -1) value = text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'data') data = data === null ? value : `${data}\n${value}`;
    // Only `error` means something beyond data (llama.cpp); event, id, retry and others are not used.
    else if (field === 'error') emit({ data: value, field: 'error' });
  };

  /** Splits `text` into whole lines (LF, CRLF or CR ends) and keeps the unfinished rest. */
  const lines = (text: string): void => {
    let from = 0;
    if (afterCr && text.charCodeAt(0) === 10) from = 1;
    afterCr = false;
    const n = text.length;
    const hasCr = text.indexOf('\r', from) !== -1;
    while (from < n) {
      let end: number;
      let next: number;
      if (!hasCr) {
        end = text.indexOf('\n', from);
        if (end === -1) break;
        next = end + 1;
      } else {
        const lf = text.indexOf('\n', from);
        const cr = text.indexOf('\r', from);
        if (lf === -1 && cr === -1) break;
        end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
        next = end + 1;
        if (end === cr) {
          if (next < n && text.charCodeAt(next) === 10) next += 1;
          else if (next === n) afterCr = true;
        }
      }
      sinceMessage += next - from;
      line(partial === '' ? text.slice(from, end) : partial + text.slice(from, end));
      partial = '';
      from = next;
    }
    if (from < n) partial += text.slice(from);
  };

  const take = (): SseMessage[] => {
    const done = out;
    out = NO_MESSAGES;
    return done;
  };

  return {
    push(text) {
      if (text === '') return NO_MESSAGES;
      if (atStart) {
        atStart = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      lines(text);
      if (sinceMessage + partial.length > maxPendingChars) {
        partial = '';
        data = null;
        throw new TooLargeError(
          `the engine sent more than ${formatSize(maxPendingChars)} without completing an SSE event (cap on one pending line)`,
        );
      }
      return take();
    },
    end() {
      // The last line and event count even without their closing line end and blank line.
      if (partial !== '') line(partial);
      partial = '';
      line('');
      sinceMessage = 0;
      afterCr = false;
      return take();
    },
  };
}
