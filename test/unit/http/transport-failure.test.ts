// Socket-level errors become error kinds on the record: running out of file descriptors included.
import { describe, expect, it } from 'vitest';
import { transportFailure } from '../../../collector/http/stream-request.ts';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('transportFailure', () => {
  it('records a socket that could not be created (EMFILE, ENFILE, EADDRNOTAVAIL) as connection_failed', () => {
    for (const code of ['EMFILE', 'ENFILE', 'EADDRNOTAVAIL']) {
      const failure = transportFailure(withCode('connect failed', code), false, null);
      expect(failure).toEqual({ kind: 'connection_failed', message: `connect failed (${code})`, classification: null, httpStatus: null });
    }
  });

  it('finds the code on a wrapped cause or the first of several errors', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('too many open files', 'EMFILE') });
    expect(transportFailure(wrapped, false, null).kind).toBe('connection_failed');
    const aggregate = Object.assign(new Error('all failed'), { errors: [withCode('refused', 'ECONNREFUSED')] });
    expect(transportFailure(aggregate, false, null).kind).toBe('connection_refused');
  });

  it('records response headers over undici’s maximum as too_large', () => {
    expect(transportFailure(withCode('Headers Overflow Error', 'UND_ERR_HEADERS_OVERFLOW'), false, null).kind).toBe('too_large');
  });

  it('records a socket broken after the headers as a cut stream', () => {
    expect(transportFailure(withCode('other side closed', 'UND_ERR_SOCKET'), true, 200).kind).toBe('stream_cut');
  });
});
