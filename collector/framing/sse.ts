// SSE framing on top of eventsource-parser: text pieces in, complete messages out.
import { createParser } from 'eventsource-parser';

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
  /** Feed the next decoded text piece; returns the messages it completed, in order. */
  push(text: string): SseMessage[];
  /** The stream ended: returns a last message that had no closing blank line. */
  end(): SseMessage[];
}

export function createSseFramer(): SseFramer {
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

  function take(): SseMessage[] {
    const done = out;
    out = [];
    return done;
  }

  return {
    push(text) {
      const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      if (cut === -1) {
        if (text !== '') partial.push(text);
        return take();
      }
      partial.push(text.slice(0, cut + 1));
      parser.feed(partial.join(''));
      partial = text.length > cut + 1 ? [text.slice(cut + 1)] : [];
      return take();
    },
    end() {
      // Close the last line, then a blank line to dispatch a pending event. One extra
      // '\n' covers a stream that ended in '\r' (the parser swallows the next '\n' as CRLF).
      parser.feed(`${partial.join('')}\n\n\n`);
      partial = [];
      parser.reset();
      return take();
    },
  };
}
