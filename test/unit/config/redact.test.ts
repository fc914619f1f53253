import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRedactor, redactDeep, REDACTED } from '../../../collector/config/redact.ts';
import { secretPieces } from '../../support/echo-engine.ts';

const secret = fc.stringMatching(/^[A-Za-z0-9_-]{13,64}$/);
const text = fc.string({ maxLength: 80 });

const leaks = (out: string, s: string): boolean => secretPieces(s).some((p) => out.includes(p));

describe('makeRedactor', () => {
  it('removes a secret wherever it stands, however often', () => {
    fc.assert(
      fc.property(secret, text, text, (s, before, after) => {
        const out = makeRedactor([s])(`${before}${s}${after}${s}`);
        expect(leaks(out, s)).toBe(false);
        expect(out).toContain(REDACTED);
      }),
    );
  });

  it('removes what a cut leaves of a secret: its start at the end of a text, its end at the start', () => {
    fc.assert(
      fc.property(secret, text, fc.nat(), fc.nat(), (s, around, a, b) => {
        const whole = `${around}${s}${around}`;
        const cutEnd = whole.slice(0, around.length + 6 + (a % (s.length - 5)));
        const cutStart = whole.slice(around.length + s.length - 6 - (b % (s.length - 5)));
        const redact = makeRedactor([s]);
        expect(leaks(redact(cutEnd), s)).toBe(false);
        expect(leaks(redact(cutStart), s)).toBe(false);
      }),
    );
  });

  it('removes a 12-character run of a secret cut on both sides inside a longer message', () => {
    const s = 'sk-abcdefghijklmnopqrstuvwxyz0123';
    const out = makeRedactor([s])(`key=${s.slice(0, 20)}… (truncated) and …${s.slice(-15)} end`);
    expect(out).toBe(`key=${REDACTED}… (truncated) and …${REDACTED} end`);
  });

  it('removes the rest of a secret whose encoded form parts from it, in a text cut before its end', () => {
    // Basic credentials: `+` in the plain form, `%2B` in the encoded one; the text ends one character short.
    const s = 'X19fS183Xy14LV8tNC0tNVAtLXczRl9fVV83Xy1JLS1WOiF+KywhKGUoNSxafj0rLC0qJw==';
    const out = makeRedactor([s])(`"bad-Basic${s.slice(0, -1)}" is not a metric name`);
    expect(out).toBe(`"bad-Basic${REDACTED}" is not a metric name`);
  });

  it('finds the percent-encoded and JSON-escaped forms of a secret', () => {
    const s = 'p@ss/w0rd"with=odd&chars';
    const redact = makeRedactor([s]);
    expect(redact(`q=${encodeURIComponent(s)}`)).toBe(`q=${REDACTED}`);
    expect(redact(JSON.stringify({ k: s }))).toBe(`{"k":"${REDACTED}"}`);
  });

  it('leaves ordinary text alone: short values are not secrets, and a short overlap at an edge is kept', () => {
    const redact = makeRedactor(['abc', 'sk-abcdefghijklmnop']);
    expect(redact('abc sk-ab')).toBe('abc sk-ab');
  });

  it('redacts object keys as well as values', () => {
    const s = 'tok_0123456789abcdef';
    expect(redactDeep({ [`t_${s}`]: [s, 1] }, makeRedactor([s]))).toEqual({ [`t_${REDACTED}`]: [REDACTED, 1] });
  });
});
