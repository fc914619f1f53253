// Picks prompts from the built-in workload: by category, in a seeded order, as many as asked.
import { ServebenchError } from '../errors.ts';
import { createRng, seedFromText } from '../sim/model/rng.ts';
import { BUILTIN_CATEGORIES, BUILTIN_WORKLOAD, type BuiltinPrompt } from './builtin-prompts.ts';
import { shuffled } from './synthetic.ts';

export interface SelectOptions {
  /** Keep only these categories (all when absent or empty). */
  categories?: readonly string[];
  /** How many prompts (default: every prompt of the chosen categories once). */
  count?: number;
  seed: number;
}

/**
 * The chosen prompts in a seeded shuffle. When `count` exceeds the set, the set is repeated,
 * each pass a fresh shuffle, so every prompt is used as evenly as possible. Repeats keep their id.
 */
export function selectPrompts(options: SelectOptions): BuiltinPrompt[] {
  const categories = options.categories ?? [];
  const unknown = categories.filter((c) => !(BUILTIN_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new ServebenchError(
      'PROMPTS_INVALID',
      `unknown prompt categor${unknown.length === 1 ? 'y' : 'ies'}: ${unknown.join(', ')}`,
      `choose from ${BUILTIN_CATEGORIES.join(', ')}`,
    );
  }
  const pool = categories.length === 0 ? [...BUILTIN_WORKLOAD] : BUILTIN_WORKLOAD.filter((p) => categories.includes(p.category));
  const count = options.count ?? pool.length;
  if (!Number.isInteger(count) || count < 0) {
    throw new ServebenchError('PROMPTS_INVALID', `the prompt count must be a whole number ≥ 0 (got ${count})`, 'pass a count such as 100');
  }
  if (pool.length === 0) return [];
  const rng = createRng(seedFromText(`select:${options.seed}`));
  const out: BuiltinPrompt[] = [];
  while (out.length < count) out.push(...shuffled(pool, rng).slice(0, count - out.length));
  return out;
}
