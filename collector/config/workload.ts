// The workload beyond plain prompts: synthetic input lengths, a shared prefix, conversations.
import type { PhasePlan } from '../load/types.ts';
import { CONVERSATIONS, findConversation, type ConversationScenario } from '../workloads/conversations.ts';
import type { SyntheticLength } from '../workloads/synthetic.ts';
import type { ConfigFile } from './schema.ts';

export interface WorkloadPlan {
  synthetic: { count: number; length: SyntheticLength } | null;
  sharedPrefixTokens: number | null;
  conversations: ConversationScenario[] | null;
}

interface WorkloadFlags {
  synthetic?: string;
  sharedPrefix?: string;
  conversations?: string;
}

const DEFAULT_SYNTHETIC_COUNT = 64;

export function resolveWorkload(file: ConfigFile, flags: WorkloadFlags, phases: PhasePlan[], problems: string[]): WorkloadPlan {
  const fromFile = file.workload ?? {};
  let synthetic: WorkloadPlan['synthetic'] = fromFile.synthetic
    ? { count: fromFile.synthetic.count ?? DEFAULT_SYNTHETIC_COUNT, length: fromFile.synthetic.length }
    : null;
  if (flags.synthetic !== undefined) {
    const length = parseLength(flags.synthetic);
    if (length === null) problems.push(`--synthetic must be short, medium, long or MEAN:STDEV[:MIN:MAX] tokens, got "${flags.synthetic}"`);
    else synthetic = { count: synthetic?.count ?? DEFAULT_SYNTHETIC_COUNT, length };
  }
  let sharedPrefixTokens = fromFile.sharedPrefixTokens ?? null;
  if (flags.sharedPrefix !== undefined) {
    const n = Number(flags.sharedPrefix);
    if (!Number.isInteger(n) || n < 1) problems.push(`--shared-prefix must be a whole number of tokens >= 1, got "${flags.sharedPrefix}"`);
    else sharedPrefixTokens = n;
  }
  const names = flags.conversations !== undefined ? (flags.conversations === 'all' ? 'all' : flags.conversations.split(',').map((s) => s.trim())) : fromFile.conversations;
  let conversations: ConversationScenario[] | null = null;
  if (names === 'all') conversations = [...CONVERSATIONS];
  else if (names) {
    const unknown = names.filter((n) => !findConversation(n));
    if (unknown.length > 0) {
      problems.push(`unknown conversation${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: choose from ${CONVERSATIONS.map((c) => c.name).join(', ')} or all`);
    } else conversations = names.map((n) => findConversation(n)!);
  }
  if (conversations) {
    // A turn must wait for the answer before it: only loads where each user waits qualify.
    for (const p of phases) {
      if (p.load.shape !== 'closed-loop' && p.load.shape !== 'sequential') {
        problems.push(`phase ${p.name}: conversations need a closed-loop or sequential load, not ${p.load.shape}`);
      }
    }
    if (synthetic) problems.push('give synthetic prompts or conversations, not both');
  }
  return { synthetic, sharedPrefixTokens, conversations };
}

function parseLength(text: string): SyntheticLength | null {
  if (text === 'short' || text === 'medium' || text === 'long') return text;
  const parts = text.split(':').map(Number);
  if (parts.length < 2 || parts.length > 4 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const [mean, stdev, min, max] = parts as [number, number, number?, number?];
  const lo = min ?? Math.max(1, Math.round(mean - 3 * stdev));
  const hi = max ?? Math.round(mean + 3 * stdev);
  if (!(lo <= mean && mean <= hi) || mean < 1) return null;
  return { mean, stdev, min: lo, max: hi };
}
