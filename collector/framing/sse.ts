// SSE framing on top of eventsource-parser: text pieces in, complete messages out.
import { createParser } from 'eventsource-parser';
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

/** `maxPendingChars`: text held while no message completes (default MAX_PENDING_LINE_CHARS). */
export function createSseFramer(maxPendingChars = MAX_PENDING_LINE_CHARS): SseFramer {
  let out: SseMessage[] = [];
  const parser = createParser({
    onEvent: (event) => out.push({ data: event.data }),
    // Unknown fields arrive here; only `error` means something (llama.cpp). Comments
    // (keep-alives) are dropped by the parser because no onComment is given.
    onError: (error) => {
      if (error.type === 'unknown-field' && error.field === 'error') out.push({ data: error.value ?? '', field: 'error' });
    },
  });
  // eventsource-parser silently discards a partial line that cannot start a known field
  // (so a split `error: {...}` line would vanish): only whole lines are handed to it.
  let partial: string[] = [];
  let partialChars = 0;
  // Text handed to the parser since it last completed a message: the parser holds that much
  // (multi-line data) until a blank line. Reset when a message completes, so it can undercount by
  // at most one piece, which keeps what is held below about twice the cap.
  let fedSinceMessage = 0;

  function take(): SseMessage[] {
    const done = out;
    out = [];
    return done;
  }

  function check(): void {
    if (fedSinceMessage + partialChars > maxPendingChars) {
      throw new TooLargeError(
        `the engine sent more than ${formatSize(maxPendingChars)} without completing an SSE event (cap on one pending line)`,
      );
    }
  }

  return {
    push(text) {
      const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      if (cut === -1) {
        if (text !== '') {
          partial.push(text);
          partialChars += text.length;
          check();
        }
        return take();
      }
      partial.push(text.slice(0, cut + 1));
      const whole = partial.join('');
      partialChars = 0;
      partial = [];
      parser.feed(whole);
      fedSinceMessage = out.length > 0 ? 0 : fedSinceMessage + whole.length;
      if (text.length > cut + 1) {
        partial = [text.slice(cut + 1)];
        partialChars = text.length - cut - 1;
      }
      check();
      return take();
    },
    end() {
      // Close the last line, then a blank line to dispatch a pending event. One extra
      // '\n' covers a stream that ended in '\r' (the parser swallows the next '\n' as CRLF).
      parser.feed(`${partial.join('')}\n\n\n`);
      partial = [];
      partialChars = 0;
      fedSinceMessage = 0;
      parser.reset();
      return take();
    },
  };
}
