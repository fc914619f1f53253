// Text bound for a terminal: engine output is untrusted, so anything that could move the cursor,
// change colours, retitle the window or reorder the screen is removed before it is printed.

// CSI (ESC [ … final, or the one-byte C1 CSI), OSC (ESC ] … BEL or ST), and two-byte ESC sequences.
export const ESCAPES = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
// C0 and C1 controls except tab and newline, DEL, and the bidirectional overrides/isolates that
// would make text display in another order than it was sent.
export const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Escape sequences and control characters removed; newlines and tabs kept, CRLF made LF. */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}
