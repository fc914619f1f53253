// Last line of defence for secrets: an engine may echo a token back anywhere it writes text, so
// every string that leaves the process (run files, terminal, pages) passes through a redactor.
// Engine text is often cut at a length limit before anyone sees it, and a cut token keeps most of
// its characters, so a redactor removes pieces of a secret as well as whole ones.

export type Redactor = (text: string) => string;

export const REDACTED = '[REDACTED]';

/** Below this, a value would redact ordinary words; real tokens and passwords are longer. */
const MIN_SECRET = 4;
/** A run of this many characters of a secret, anywhere, is removed with what continues it. */
const PIECE = 12;
/** At either end of a string (where a cut happens), a piece this long is removed too. */
const EDGE_PIECE = 6;

/**
 * The forms a secret can take on the wire or in an echo: as given, percent-encoded (a URL),
 * JSON-escaped (an echo inside a JSON string that was not decoded).
 */
export function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  let encoded = value;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // a lone surrogate cannot be percent-encoded: the other forms still apply
  }
  return [value, encoded, json];
}

export function makeRedactor(secrets: Iterable<string>): Redactor {
  const values = [...new Set([...secrets].flatMap(secretForms))]
    .filter((s) => s.length >= MIN_SECRET)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    for (const value of values) out = redactPieces(out, value);
    return out.includes(REDACTED) ? redactAroundMarks(out, values) : out;
  };
}

/**
 * What is left of a secret beside a redaction: two forms of one secret can share a start and part
 * later (`a+b` and `a%2Bb`), so a run redacted by one form can leave the rest of the other, and a
 * text cut short can end it before any needle would match. Any run of EDGE_PIECE or more characters
 * next to a mark that stands inside a secret goes too.
 */
function redactAroundMarks(text: string, values: readonly string[]): string {
  const inSecret = (piece: string): boolean => values.some((v) => v.includes(piece));
  const longest = values[0]!.length;
  let out = text;
  for (let mark = out.indexOf(REDACTED); mark !== -1; mark = out.indexOf(REDACTED, mark + REDACTED.length)) {
    const after = mark + REDACTED.length;
    for (let n = Math.min(longest, out.length - after); n >= EDGE_PIECE; n--) {
      if (inSecret(out.slice(after, after + n))) {
        out = out.slice(0, after) + out.slice(after + n);
        break;
      }
    }
    for (let n = Math.min(longest, mark); n >= EDGE_PIECE; n--) {
      if (inSecret(out.slice(mark - n, mark))) {
        out = out.slice(0, mark - n) + out.slice(mark);
        mark -= n;
        break;
      }
    }
  }
  return out;
}

/** Removes runs of `secret` cut at either side: a long piece anywhere, a shorter one at an end. */
function redactPieces(text: string, secret: string): string {
  let out = text;
  if (secret.length > PIECE) {
    out = replaceRuns(out, secret, secret.slice(0, PIECE), 0);
    out = replaceRuns(out, secret, secret.slice(-PIECE), secret.length - PIECE);
  }
  // A cut at the end of a string leaves a prefix of the secret; a cut at its start, a suffix.
  for (let n = Math.min(secret.length - 1, PIECE); n >= EDGE_PIECE; n--) {
    if (out.endsWith(secret.slice(0, n))) out = out.slice(0, out.length - n) + REDACTED;
    if (out.startsWith(secret.slice(secret.length - n))) out = REDACTED + out.slice(n);
  }
  return out;
}

/**
 * Replaces each occurrence of `needle` (which stands at `offset` inside `secret`), grown to the
 * longest run that still matches the secret on both sides.
 */
function replaceRuns(text: string, secret: string, needle: string, offset: number): string {
  let out = text;
  let from = 0;
  for (let at = out.indexOf(needle, from); at !== -1; at = out.indexOf(needle, from)) {
    let start = at;
    let end = at + needle.length;
    let s = offset;
    while (start > 0 && s > 0 && out[start - 1] === secret[s - 1]) {
      start--;
      s--;
    }
    let e = offset + needle.length;
    while (end < out.length && e < secret.length && out[end] === secret[e]) {
      end++;
      e++;
    }
    out = out.slice(0, start) + REDACTED + out.slice(end);
    from = start + REDACTED.length;
  }
  return out;
}

/** Redacts every string inside a JSON-like value, object keys included. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redact(key)] = redactDeep(item, redact);
    return out as T;
  }
  return value;
}
