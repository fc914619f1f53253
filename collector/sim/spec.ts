// `--engine KIND:PORT[:PROFILE]` for `servebench sim`, and the defaults each simulated kind uses.
import { SIM_KINDS, type SimKind } from './types.ts';

export interface SimSpec {
  kind: SimKind;
  /** 0 = any free port. */
  port: number;
  /** Latency profile name (defaults to the kind's own). */
  profile: string;
  label: string;
}

/** The model each simulated kind serves unless --model says otherwise, named as that engine would. */
export const DEFAULT_MODELS: Record<SimKind, string> = {
  vllm: 'meta-llama/Llama-3.1-8B-Instruct',
  tgi: 'meta-llama/Llama-3.1-8B-Instruct',
  ollama: 'llama3.1:8b',
  llamacpp: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
};

export function isSimKind(kind: string): kind is SimKind {
  return (SIM_KINDS as readonly string[]).includes(kind);
}

/** Parses the specs, labelling repeats kind-2, kind-3 …; returns problems instead of throwing. */
export function parseSimSpecs(texts: string[], profileNames: readonly string[]): { specs: SimSpec[]; problems: string[] } {
  const specs: SimSpec[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const text of texts) {
    const match = /^([a-z]+)(?::(\d{1,5}))?(?::([a-z0-9-]+))?$/.exec(text.trim());
    if (!match) {
      problems.push(`--engine "${text}" is not KIND[:PORT[:PROFILE]] (e.g. vllm:8001, ollama:0:ollama)`);
      continue;
    }
    const [, kind, portText, profile] = match;
    if (!isSimKind(kind!)) {
      problems.push(`--engine "${text}": the simulator speaks ${SIM_KINDS.join(', ')}, not "${kind}"`);
      continue;
    }
    const port = portText === undefined ? 0 : Number(portText);
    if (port > 65535) problems.push(`--engine "${text}": port ${port} is above 65535`);
    if (profile !== undefined && !profileNames.includes(profile)) {
      problems.push(`--engine "${text}": unknown profile "${profile}" (profiles: ${profileNames.join(', ')})`);
    }
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    specs.push({ kind, port, profile: profile ?? kind, label: n === 1 ? kind : `${kind}-${n}` });
  }
  return { specs, problems };
}
