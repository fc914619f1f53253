// undici Agents with the run's TLS settings: one per engine for health, info and scrapes, and one
// per phase for its requests (collect/phase-connections.ts), so the pool's size can follow the
// phase. Every pool draws its sockets from one process-wide budget, so the load can never take the
// last file descriptors.
import { readFileSync } from 'node:fs';
import { Agent, buildConnector } from 'undici';

export interface TlsOptions {
  /** Skip certificate verification (--insecure). */
  insecure: boolean;
  /** Extra CA bundle (PEM) to trust. */
  caFile?: string;
}

/**
 * File descriptors kept back from connections for the run's own use. Node holds about 20 at start
 * (epoll, signals, stdio); a run then opens a handful at once (the raw file, its read-back for a
 * phase summary, run.json's temporary file, the gzip of the raw file). 64 covers that with room.
 * Without it, 2,000 streams under `ulimit -n 1024` take every descriptor and the phase summary
 * cannot open the raw file.
 */
const RESERVED_FDS = 64;

/** Sockets open (or being opened) by every pool in this process. */
let liveSockets = 0;
let socketBudget: { max: number; openFiles: number } | null | undefined;

/** The soft open-file limit (`ulimit -n`) less the reserve; null when the platform does not say. */
function budget(): { max: number; openFiles: number } | null {
  if (socketBudget !== undefined) return socketBudget;
  socketBudget = null;
  try {
    const report = process.report.getReport() as { userLimits?: { open_files?: { soft?: unknown } } };
    const soft = report.userLimits?.open_files?.soft;
    if (typeof soft === 'number' && Number.isFinite(soft) && soft > 0) {
      socketBudget = { max: Math.max(1, soft - RESERVED_FDS), openFiles: soft };
    }
  } catch {
    /* no report on this platform: only the kernel's EMFILE limits sockets */
  }
  return socketBudget;
}

/** A socket that cannot be opened without the run's reserve fails like the kernel would: EMFILE. */
function outOfDescriptors(limit: { max: number; openFiles: number }): Error {
  const error = new Error(
    `no file descriptor left for another connection: ${liveSockets} sockets are open, the open-file limit (ulimit -n) is ${limit.openFiles} and ${RESERVED_FDS} are kept for the run's files`,
  ) as Error & { code: string };
  error.code = 'EMFILE';
  return error;
}

export interface PoolOptions {
  /** Connections per origin at most; unlimited when absent. */
  connections?: number;
}

export function createDispatcher(tls: TlsOptions, connectTimeoutMs: number, pool: PoolOptions = {}): Agent {
  // The options undici would build its own connector from, so behaviour is the same but counted.
  const connectSocket = buildConnector({
    // HTTP/1.1 only, like the clients whose numbers ours are compared with (vLLM's aiohttp): over
    // HTTP/2 every user would share one multiplexed connection, and undici would open the first
    // connection alone to learn the protocol before opening the others.
    allowH2: false,
    rejectUnauthorized: !tls.insecure,
    ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
    timeout: connectTimeoutMs,
  });
  const limit = budget();
  return new Agent({
    // The collector enforces its own TTFT/idle/total timeouts; undici's would race them.
    headersTimeout: 0,
    bodyTimeout: 0,
    connectTimeout: connectTimeoutMs,
    // Idle sockets are kept this long unless the server says less (a `Keep-Alive: timeout=` hint).
    keepAliveTimeout: 30_000,
    pipelining: 1,
    allowH2: false,
    ...(pool.connections === undefined ? {} : { connections: pool.connections }),
    connect(options, callback) {
      if (limit && liveSockets >= limit.max) {
        callback(outOfDescriptors(limit), null);
        return;
      }
      liveSockets += 1;
      connectSocket(options, (error, socket) => {
        if (error) {
          liveSockets -= 1;
          callback(error, null);
          return;
        }
        socket.once('close', () => {
          liveSockets -= 1;
        });
        callback(null, socket);
      });
    },
  });
}
