// `servebench sim`: simulated vLLM, TGI, Ollama and llama.cpp servers on local ports.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ServebenchError } from '../errors.ts';
import { formatIssues } from '../format-issues.ts';
import { FaultConfig, parseFaultFlags } from '../sim/faults.ts';
import { PROFILES } from '../sim/model/profiles.ts';
import { parseSimSpecs } from '../sim/spec.ts';
import { startSimulation } from '../sim/start.ts';
import { createTraceFile } from '../sim/trace.ts';
import type { LatencyProfile } from '../sim/types.ts';
import type { CommandIO, CommandModule } from './command.ts';
import { collectList } from './flags.ts';

const FaultsFile = z.record(z.string(), FaultConfig);
const OVERRIDABLE = ['maxBatch', 'kvCapacityTokens', 'prefillMsPerToken', 'prefillChunkTokens', 'decodeStepBaseMs', 'decodeStepPerSeqMs', 'jitter', 'maxQueue'] as const;

interface SimFlags {
  engine: string[];
  seed: string;
  host: string;
  model?: string;
  set: string[];
  fault: string[];
  faults?: string;
  trace?: string;
  json?: boolean;
}

export const sim: CommandModule = {
  define(program: Command, io: CommandIO) {
    program
      .command('sim')
      .summary('run simulated engines (vLLM, TGI, Ollama, llama.cpp) on local ports')
      .description(
        'Starts simulated engines that speak each engine\'s real wire protocol, with a batching-aware ' +
          'latency model, seeded faults and ground-truth timing. Every answer is marked simulated. ' +
          'Runs until Ctrl-C.\nProfiles: ' +
          Object.values(PROFILES).map((p) => `${p.name} (${p.description})`).join('; '),
      )
      .option('--engine <KIND[:PORT[:PROFILE]]>', 'engine to simulate, repeatable; port 0 = any free port (default: vllm, tgi, ollama)', collectList, [])
      .option('--seed <N>', 'seed for timing jitter, answers and faults', '42')
      .option('--host <ADDRESS>', 'address to listen on', '127.0.0.1')
      .option('--model <NAME>', 'model name every engine serves (default: a plausible one per kind)')
      .option('--set <KEY=VALUE>', `override a profile number for every engine, repeatable (${OVERRIDABLE.join(', ')})`, collectList, [])
      .option('--fault <NAME=RATE>', 'inject a fault into every engine, repeatable (e.g. http500=0.05, cut=0.1, stall=0.05, stallS=3)', collectList, [])
      .option('--faults <FILE>', 'YAML: fault settings per engine label, "*" for all')
      .option('--trace <FILE>', 'append ground truth (when each chunk was written) as NDJSON')
      .option('--json', 'print the engines as one JSON line when ready')
      .action(async (flags: SimFlags) => {
        const problems: string[] = [];
        const { specs, problems: specProblems } = parseSimSpecs(
          flags.engine.length > 0 ? flags.engine : ['vllm', 'tgi', 'ollama'],
          Object.keys(PROFILES),
        );
        problems.push(...specProblems);
        const seed = Number(flags.seed);
        if (!Number.isInteger(seed) || seed < 0) problems.push(`--seed must be a whole number >= 0, got "${flags.seed}"`);
        const overrides = parseOverrides(flags.set, problems);
        const fromFlags = parseFaultFlags(flags.fault);
        problems.push(...fromFlags.problems);
        const faults: Record<string, FaultConfig> = flags.faults ? await readFaultsFile(resolve(io.cwd, flags.faults), problems) : {};
        if (flags.fault.length > 0) faults['*'] = { ...faults['*'], ...fromFlags.config };
        if (problems.length > 0) {
          throw new ServebenchError('BAD_FLAG', `servebench sim cannot start:\n  - ${problems.join('\n  - ')}`, 'see `servebench sim --help`');
        }
        let simulation;
        try {
          simulation = await startSimulation(specs, {
            seed,
            host: flags.host,
            ...(flags.model ? { model: flags.model } : {}),
            ...(overrides ? { overrides } : {}),
            faults,
            ...(flags.trace ? { trace: createTraceFile(resolve(io.cwd, flags.trace)) } : {}),
          });
        } catch (error) {
          if (error instanceof RangeError) throw new ServebenchError('BAD_FLAG', `--set: ${error.message}`, 'use positive numbers (jitter below 1)');
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE' || code === 'EACCES') {
            throw new ServebenchError('BAD_FLAG', `cannot listen: ${(error as Error).message}`, 'pick another port, or port 0 for any free one');
          }
          // A --host that is not an address of this machine, or a name that does not resolve.
          if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAFNOSUPPORT' || code === 'EINVAL') {
            throw new ServebenchError(
              'BAD_ENVIRONMENT',
              `cannot listen on --host ${flags.host}: ${(error as Error).message}`,
              'give an address of this machine (127.0.0.1, ::1, 0.0.0.0) or a name that resolves to one',
              { cause: error },
            );
          }
          throw error;
        }
        if (flags.json) io.stdout(`${JSON.stringify({ simulated: true, engines: simulation.engines })}\n`);
        else {
          io.stdout('servebench simulator: these engines are SIMULATED, not real ones\n');
          for (const e of simulation.engines) io.stdout(`  ${e.label.padEnd(10)} ${e.url.padEnd(24)} profile ${e.profile.padEnd(9)} model ${e.model}\n`);
          io.stdout('Ctrl-C stops it.\n');
        }
        await new Promise<void>((done) => {
          if (io.signal.aborted) done();
          else io.signal.addEventListener('abort', () => done(), { once: true });
        });
        await simulation.close();
      });
  },
};

function parseOverrides(sets: string[], problems: string[]): Partial<LatencyProfile> | undefined {
  if (sets.length === 0) return undefined;
  const overrides: Record<string, number> = {};
  for (const set of sets) {
    const match = /^([A-Za-z]+)=([0-9.]+)$/.exec(set.trim());
    if (!match || !(OVERRIDABLE as readonly string[]).includes(match[1]!) || !Number.isFinite(Number(match[2]))) {
      problems.push(`--set "${set}" is not KEY=NUMBER with KEY one of ${OVERRIDABLE.join(', ')}`);
      continue;
    }
    overrides[match[1]!] = Number(match[2]);
  }
  return overrides as Partial<LatencyProfile>;
}

async function readFaultsFile(path: string, problems: string[]): Promise<Record<string, FaultConfig>> {
  let data: unknown;
  try {
    data = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    problems.push(`cannot read the faults file ${path}: ${(error as Error).message.split('\n')[0]}`);
    return {};
  }
  const parsed = FaultsFile.safeParse(data ?? {}, { reportInput: true });
  if (!parsed.success) {
    problems.push(...formatIssues(path, parsed.error.issues));
    return {};
  }
  return parsed.data;
}
