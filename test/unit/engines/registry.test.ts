import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { ENGINES, ENGINE_KINDS, findEngine } from '../../../collector/engines/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const copy = path.join(repoRoot, 'test', 'fixtures', 'protocols');
const shared = path.resolve(repoRoot, '..', 'shared', 'protocols');

describe('engine registry', () => {
  it('keys every adapter by the name users type', () => {
    expect(ENGINE_KINDS).toEqual(['vllm', 'tgi', 'ollama', 'llamacpp', 'openai']);
    for (const kind of ENGINE_KINDS) expect(ENGINES[kind].kind).toBe(kind);
  });

  it('finds adapters by kind and nothing for unknown or inherited names', () => {
    expect(findEngine('tgi')).toBe(ENGINES.tgi);
    expect(findEngine('TGI')).toBeUndefined();
    expect(findEngine('toString')).toBeUndefined();
    expect(findEngine('')).toBeUndefined();
  });

  it('states which engines can force the output length and where health is checked', () => {
    expect(ENGINE_KINDS.filter((k) => ENGINES[k].canForceOutputLength)).toEqual(['vllm', 'llamacpp']);
    expect(ENGINE_KINDS.map((k) => ENGINES[k].healthPath)).toEqual(['/health', '/health', '/api/tags', '/health', '/v1/models']);
    expect(ENGINE_KINDS.map((k) => ENGINES[k].apis[0])).toEqual(['chat', 'generate', 'chat', 'chat', 'chat']);
  });
});

describe('protocol fixture copy', () => {
  it.skipIf(!existsSync(shared))('is byte-identical to shared/protocols beside the repository', () => {
    const sharedFiles = readdirSync(shared).filter((f) => !f.endsWith('.md')).sort();
    expect(readdirSync(copy).sort()).toEqual(sharedFiles);
    for (const file of sharedFiles) {
      expect(readFileSync(path.join(copy, file)).equals(readFileSync(path.join(shared, file))), file).toBe(true);
    }
  });
});
