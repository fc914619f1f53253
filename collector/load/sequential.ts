// Sequential: one request at a time, the next sent as the last one ends. Measures latency with
// no queueing and no batching, the server's best case.
import { runUsers } from './closed-loop.ts';
import type { LoadShape } from './types.ts';

export const runSequential: LoadShape = (plan, driver) => {
  if (plan.load.shape !== 'sequential') throw new TypeError(`sequential shape given a ${plan.load.shape} phase`);
  return runUsers(plan, driver, [{ startMs: 0, stopMs: Number.POSITIVE_INFINITY }]);
};
