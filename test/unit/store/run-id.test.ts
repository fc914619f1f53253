import { describe, expect, it } from 'vitest';
import { newRunId, slugify } from '../../../collector/store/run-id.ts';
import { Run } from '../../../collector/store/schema/index.ts';

const idPattern = Run.shape.id;

describe('newRunId', () => {
  it('is the UTC time, a slug of the name and four hex digits', () => {
    expect(newRunId(new Date('2025-01-02T03:04:05.678Z'), 'My vLLM test!', () => 0.5)).toBe('20250102-030405-my-vllm-test-8000');
  });

  it('sorts by time as a plain string, whatever the names', () => {
    const times = ['2024-12-31T23:59:59Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z', '2025-02-10T09:00:00Z', '2026-01-01T00:00:00Z'];
    const names = ['zzz', 'aaa', 'Mid', '', '999'];
    const ids = times.map((t, i) => newRunId(new Date(t), names[i]!, () => 0.99));
    expect([...ids].sort()).toEqual(ids);
  });

  it('always matches the run id pattern of the schema', () => {
    const names = ['', '---', 'Ünïcödé café', '日本語', 'a/b\\c?d#e', 'x'.repeat(80), ' spaced  out ', 'UPPER_case.name'];
    for (const name of names) {
      for (const r of [0, 0.5, 0.999999, 1]) {
        const id = newRunId(new Date('2025-06-12T09:30:00Z'), name, () => r);
        expect(idPattern.safeParse(id).success, id).toBe(true);
        expect(id).toMatch(/^\d{8}-\d{6}-[a-z0-9-]+-[0-9a-f]{4}$/);
      }
    }
  });

  it('uses different hex suffixes for runs started in the same second', () => {
    const at = new Date('2025-06-12T09:30:00Z');
    expect(newRunId(at, 'x', () => 0.1)).not.toBe(newRunId(at, 'x', () => 0.2));
  });
});

describe('slugify', () => {
  it('keeps lowercase letters, digits and single dashes, at most 32 characters', () => {
    expect(slugify('  Llama 3.1 -- 8B  ')).toBe('llama-3-1-8b');
    expect(slugify('café')).toBe('cafe');
    expect(slugify('a'.repeat(31) + ' b')).toBe('a'.repeat(31));
    expect(slugify('x'.repeat(40))).toHaveLength(32);
  });

  it('falls back to "run" when nothing usable is left', () => {
    expect(slugify('')).toBe('run');
    expect(slugify('日本語')).toBe('run');
    expect(slugify('---')).toBe('run');
  });
});
