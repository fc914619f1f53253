// Closed loop: `concurrency` users, each sending its next request as soon as its last one ended.
// The next request's scheduled time is the moment its user became free, so send lag is near 0.

export interface ClosedLoopParams {
  concurrency: number;
  requests: number;
}

export interface LoadDriver {
  now: () => number;
  signal: AbortSignal;
  /** Sends request `seq` (0-based, in scheduling order) and resolves when it has been recorded. */
  send: (seq: number, scheduledAt: number) => Promise<void>;
}

export async function closedLoop(params: ClosedLoopParams, driver: LoadDriver): Promise<void> {
  let next = 0;
  const user = async (): Promise<void> => {
    while (next < params.requests && !driver.signal.aborted) {
      const seq = next++;
      await driver.send(seq, driver.now());
    }
  };
  const users = Math.min(params.concurrency, params.requests);
  await Promise.all(Array.from({ length: users }, user));
}
