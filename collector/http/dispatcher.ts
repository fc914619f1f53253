// One undici Agent per engine: its own connection pool and TLS settings.
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';

export interface TlsOptions {
  /** Skip certificate verification (--insecure). */
  insecure: boolean;
  /** Extra CA bundle (PEM) to trust. */
  caFile?: string;
}

export function createDispatcher(tls: TlsOptions, connectTimeoutMs: number): Agent {
  return new Agent({
    // The collector enforces its own TTFT/idle/total timeouts; undici's would race them.
    headersTimeout: 0,
    bodyTimeout: 0,
    connectTimeout: connectTimeoutMs,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    connect: {
      rejectUnauthorized: !tls.insecure,
      ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
    },
  });
}
