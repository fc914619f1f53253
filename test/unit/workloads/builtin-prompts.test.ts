import { describe, expect, it } from 'vitest';
import { BUILTIN_CATEGORIES, BUILTIN_WORKLOAD, SUMMARISATION_DOCUMENTS } from '../../../collector/workloads/builtin-prompts.ts';

const words = (text: string): number => text.trim().split(/\s+/u).length;

describe('the built-in workload', () => {
  it('holds at least 56 prompts, at least 7 in each category, and no other category', () => {
    expect(BUILTIN_WORKLOAD.length).toBeGreaterThanOrEqual(56);
    for (const category of BUILTIN_CATEGORIES) {
      expect(BUILTIN_WORKLOAD.filter((p) => p.category === category).length, category).toBeGreaterThanOrEqual(7);
    }
    for (const prompt of BUILTIN_WORKLOAD) expect(BUILTIN_CATEGORIES).toContain(prompt.category);
  });

  it('has unique ids of the form <category>-<slug>', () => {
    const ids = BUILTIN_WORKLOAD.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const prompt of BUILTIN_WORKLOAD) expect(prompt.id).toMatch(new RegExp(`^${prompt.category}-[a-z0-9]+(-[a-z0-9]+)*$`));
  });

  it('has well-formed chats: an optional leading system message, then one non-empty user message', () => {
    for (const prompt of BUILTIN_WORKLOAD) {
      const roles = prompt.messages.map((m) => m.role);
      expect([['user'], ['system', 'user']], prompt.id).toContainEqual(roles);
      for (const m of prompt.messages) expect(m.content.trim().length, prompt.id).toBeGreaterThan(0);
    }
    expect(BUILTIN_WORKLOAD.some((p) => p.messages[0]?.role === 'system')).toBe(true);
  });

  it('gives every summarisation prompt a document of 600–1 500 words, inside its user message', () => {
    const summaries = BUILTIN_WORKLOAD.filter((p) => p.category === 'summarisation');
    expect(Object.keys(SUMMARISATION_DOCUMENTS).sort()).toEqual(summaries.map((p) => p.id).sort());
    for (const prompt of summaries) {
      const document = SUMMARISATION_DOCUMENTS[prompt.id]!;
      expect(words(document), prompt.id).toBeGreaterThanOrEqual(600);
      expect(words(document), prompt.id).toBeLessThanOrEqual(1500);
      expect(prompt.messages.at(-1)!.content).toContain(document);
    }
    // Distinct documents, not one document reused.
    expect(new Set(Object.values(SUMMARISATION_DOCUMENTS)).size).toBe(summaries.length);
  });
});
