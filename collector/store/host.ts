// The collector host, recorded so a reader can tell whether two runs were measured alike.
import os from 'node:os';
import type { Run } from './schema/index.ts';

export function describeHost(): Run['host'] {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    os: os.type(),
    release: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
  };
}
