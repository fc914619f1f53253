// Generates the JSON Schema files published beside the zod schemas, for people and tools that
// read runs without servebench. Run `npm run schema` after changing a schema; a unit test fails
// when the committed files differ from a fresh generation.
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import * as v2 from './v2.ts';
import * as v3 from './v3.ts';
import * as v4 from './v4.ts';

// Older formats stay published beside the current one: runs in them are still read.
const SCHEMAS = {
  'run-v4.schema.json': {
    schema: v4.RunV4,
    title: 'servebench run, format v4 (run.json)',
  },
  'run-v3.schema.json': {
    schema: v3.RunV3,
    title: 'servebench run, format v3 (run.json)',
  },
  'request-v2.schema.json': {
    schema: v4.RequestRecord,
    title: 'servebench raw request record, format v2, as in run formats v3 and v4 (one line of requests.ndjson.gz)',
  },
  'run-v2.schema.json': {
    schema: v2.RunV2,
    title: 'servebench run, format v2 (run.json)',
  },
  'request-v1.schema.json': {
    schema: v2.RequestRecord,
    title: 'servebench raw request record, format v1, unchanged in run format v2 (one line of requests.ndjson.gz)',
  },
} as const;

/** File name → file text. `io: 'input'` describes what readers accept (unknown keys are ignored). */
export function generateJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, { schema, title }] of Object.entries(SCHEMAS)) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
    files[name] = `${JSON.stringify({ $schema: json.$schema, title, ...json }, null, 2)}\n`;
  }
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, text] of Object.entries(generateJsonSchemas())) {
    await writeFile(new URL(name, import.meta.url), text);
    process.stdout.write(`wrote collector/store/schema/${name}\n`);
  }
}
