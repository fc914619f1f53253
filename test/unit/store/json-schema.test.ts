import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateJsonSchemas } from '../../../collector/store/schema/generate-json-schema.ts';

describe('the published JSON Schema files', () => {
  it('equal a fresh generation from the zod schemas (run `npm run schema` when this fails)', async () => {
    const files = generateJsonSchemas();
    expect(Object.keys(files).sort()).toEqual(['request-v1.schema.json', 'request-v2.schema.json', 'run-v2.schema.json', 'run-v3.schema.json', 'run-v4.schema.json']);
    for (const [name, text] of Object.entries(files)) {
      const committed = await readFile(new URL(`../../../collector/store/schema/${name}`, import.meta.url), 'utf8');
      expect(committed, name).toBe(text);
    }
  });

  it('describe the run file with its required fields and the request line format', () => {
    const run = JSON.parse(generateJsonSchemas()['run-v4.schema.json']!) as { required: string[]; properties: Record<string, unknown> };
    expect(run.required).toEqual(expect.arrayContaining(['schemaVersion', 'slo']));
    expect(run.properties['schemaVersion']).toEqual({ type: 'number', const: 4 });
    expect(generateJsonSchemas()['run-v4.schema.json']).toContain('capacityAtSlo');
    expect(generateJsonSchemas()['run-v3.schema.json']).not.toContain('capacityAtSlo');
    const request = JSON.parse(generateJsonSchemas()['request-v2.schema.json']!) as { required: string[] };
    expect(request.required).toEqual(expect.arrayContaining(['seq', 'engine', 'events', 'status']));
    expect(generateJsonSchemas()['request-v2.schema.json']).toContain('too_large');
    expect(generateJsonSchemas()['request-v1.schema.json']).not.toContain('too_large');
  });
});
