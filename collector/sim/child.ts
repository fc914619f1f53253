// Runs `servebench sim` in its own process, so a collector measuring it does not share its event
// loop with the engines (used by the demo and the benchmarks).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SimEngineInfo {
  label: string;
  kind: string;
  url: string;
  profile: string;
  model: string;
}

export interface SimProcess {
  engines: SimEngineInfo[];
  pid: number;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

export async function startSimProcess(args: string[], stderr: 'inherit' | 'ignore' = 'inherit'): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'sim', '--json', ...args], { stdio: ['ignore', 'pipe', stderr] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`servebench sim exited with ${code} before it was ready`)));
  });
  const { engines } = JSON.parse(first) as { engines: SimEngineInfo[] };
  return {
    engines,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
