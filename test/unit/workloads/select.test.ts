import { describe, expect, it } from 'vitest';
import { BUILTIN_WORKLOAD } from '../../../collector/workloads/builtin-prompts.ts';
import { selectPrompts } from '../../../collector/workloads/select.ts';

describe('selectPrompts', () => {
  it('returns every built-in prompt once by default, in a seeded order', () => {
    const all = selectPrompts({ seed: 1 });
    expect(all).toHaveLength(BUILTIN_WORKLOAD.length);
    expect(new Set(all.map((p) => p.id))).toEqual(new Set(BUILTIN_WORKLOAD.map((p) => p.id)));
    expect(all.map((p) => p.id)).not.toEqual(BUILTIN_WORKLOAD.map((p) => p.id));
  });

  it('is deterministic per seed, and another seed gives another order', () => {
    const ids = (seed: number) => selectPrompts({ seed, count: 20 }).map((p) => p.id);
    expect(ids(7)).toEqual(ids(7));
    expect(ids(8)).not.toEqual(ids(7));
  });

  it('filters by category', () => {
    const picked = selectPrompts({ categories: ['reasoning', 'short-factual'], seed: 3 });
    const expected = BUILTIN_WORKLOAD.filter((p) => p.category === 'reasoning' || p.category === 'short-factual');
    expect(picked).toHaveLength(expected.length);
    for (const p of picked) expect(['reasoning', 'short-factual']).toContain(p.category);
    expect(selectPrompts({ categories: [], seed: 3 })).toHaveLength(BUILTIN_WORKLOAD.length);
  });

  it('takes a prefix of the shuffle when count is smaller, and repeats the set evenly when larger', () => {
    const few = selectPrompts({ categories: ['summarisation'], count: 3, seed: 5 });
    expect(few).toHaveLength(3);
    expect(new Set(few.map((p) => p.id)).size).toBe(3);

    const size = BUILTIN_WORKLOAD.filter((p) => p.category === 'summarisation').length;
    const many = selectPrompts({ categories: ['summarisation'], count: size * 3 + 2, seed: 5 });
    expect(many).toHaveLength(size * 3 + 2);
    const uses = new Map<string, number>();
    for (const p of many) uses.set(p.id, (uses.get(p.id) ?? 0) + 1);
    expect(uses.size).toBe(size);
    for (const n of uses.values()) expect([3, 4]).toContain(n);
    expect(many.slice(0, 3)).toEqual(few);
    expect(selectPrompts({ count: 0, seed: 1 })).toEqual([]);
  });

  it('rejects unknown categories and bad counts', () => {
    expect(() => selectPrompts({ categories: ['poetry'], seed: 1 })).toThrow(/poetry/u);
    expect(() => selectPrompts({ count: 1.5, seed: 1 })).toThrow(/count/u);
  });
});
