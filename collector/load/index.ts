// Load shapes keyed by the names used in flags, YAML and run files.
import { closedLoop, type LoadDriver } from './closed-loop.ts';

export interface PhasePlan {
  name: string;
  load: { shape: 'closed-loop'; concurrency: number; requests: number };
}

export function runPhase(phase: PhasePlan, driver: LoadDriver): Promise<void> {
  switch (phase.load.shape) {
    case 'closed-loop':
      return closedLoop(phase.load, driver);
  }
}

/** One closed-loop phase per concurrency level; a single level is the phase `main`. */
export function closedLoopPhases(concurrencies: number[], requests: number): PhasePlan[] {
  if (concurrencies.length === 1) {
    return [{ name: 'main', load: { shape: 'closed-loop', concurrency: concurrencies[0]!, requests } }];
  }
  return concurrencies.map((concurrency) => ({
    name: `c${concurrency}`,
    load: { shape: 'closed-loop', concurrency, requests },
  }));
}
