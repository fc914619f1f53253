// The collector host, recorded so a reader can tell whether two runs were measured alike.
import os from 'node:os';
import type { RunV2 } from './schema/v2.ts';

export function describeHost(): RunV2['host'] {
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
